package dev.vnet.core.optim;

import dev.vnet.core.nn.Parameter;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with momentum, exactly as {@code torch.optim.SGD}: with
 * {@code g = grad + weightDecay·θ},
 * <pre>
 * b = g on the first step, else b = momentum·b + (1 − dampening)·g
 * θ = θ − lr · (nesterov ? g + momentum·b : b)
 * </pre>
 * (with momentum 0, simply {@code θ = θ − lr·g}). State per parameter: {@code momentum_buffer} (b).
 */
public final class Sgd extends Optimizer {
    private static final Set<String> SLOTS = Set.of("momentum_buffer");

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    /**
     * Plain SGD with momentum, no dampening, no weight decay, not Nesterov.
     *
     * @param params   the parameters to update, by name
     * @param lr       the learning rate
     * @param momentum the momentum factor, 0 for none
     */
    public Sgd(Map<String, Parameter> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /**
     * SGD with every hyper-parameter given.
     *
     * @param params      the parameters to update, by name
     * @param lr          the learning rate
     * @param momentum    the momentum factor, 0 for none
     * @param dampening   the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     */
    public Sgd(Map<String, Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(params, lr);
        if (!(momentum >= 0) || !(dampening >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: momentum, dampening and weight decay must be >= 0, got " + momentum
                    + ", " + dampening + ", " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and zero dampening, got momentum "
                    + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected Set<String> slots() {
        return SLOTS;
    }

    // param [*], grad [*]; state momentum_buffer [*]
    @Override
    protected void update(String name, float[] param, float[] grad) {
        float lr = (float) lr();
        float wd = (float) weightDecay;
        float mu = (float) momentum;
        float damp = (float) (1 - dampening);
        float[] buf = null;
        boolean first = false;
        if (momentum != 0) {
            buf = state(name, "momentum_buffer");
            if (buf == null) {
                buf = stateOrZeros(name, "momentum_buffer", parameters().get(name).shape());
                first = true;
            }
        }
        for (int i = 0; i < param.length; i++) {
            float g = wd == 0f ? grad[i] : grad[i] + wd * param[i];
            if (buf != null) {
                buf[i] = first ? g : buf[i] * mu + damp * g;
                g = nesterov ? g + mu * buf[i] : buf[i];
            }
            param[i] -= lr * g;
        }
    }
}
