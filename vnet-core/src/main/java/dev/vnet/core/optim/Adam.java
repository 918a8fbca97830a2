package dev.vnet.core.optim;

import dev.vnet.core.nn.Parameter;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma &amp; Ba) exactly as {@code torch.optim.Adam} (no amsgrad): with {@code g = grad + weightDecay·θ},
 * <pre>
 * m = β1·m + (1 − β1)·g          v = β2·v + (1 − β2)·g²
 * θ = θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps)
 * </pre>
 * State per parameter: {@code step} (scalar), {@code exp_avg} (m), {@code exp_avg_sq} (v).
 * Weight decay is the L2 penalty of {@code torch.optim.Adam}, not AdamW's decoupled decay.
 */
public final class Adam extends Optimizer {
    private static final Set<String> SLOTS = Set.of("step", "exp_avg", "exp_avg_sq");

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    /**
     * Adam with PyTorch's defaults: β1 0.9, β2 0.999, eps 1e-8, no weight decay.
     *
     * @param params the parameters to update, by name
     * @param lr     the learning rate
     */
    public Adam(Map<String, Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every hyper-parameter given.
     *
     * @param params      the parameters to update, by name
     * @param lr          the learning rate
     * @param beta1       the decay of the first-moment average
     * @param beta2       the decay of the second-moment average
     * @param eps         added to the denominator
     * @param weightDecay the L2 penalty added to the gradient
     */
    public Adam(Map<String, Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: needs 0 <= beta1, beta2 < 1, eps >= 0 and weight decay >= 0, got beta1 "
                    + beta1 + ", beta2 " + beta2 + ", eps " + eps + ", weight decay " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    @Override
    protected Set<String> slots() {
        return SLOTS;
    }

    // param [*], grad [*]; state exp_avg [*], exp_avg_sq [*], step []
    @Override
    protected void update(String name, float[] param, float[] grad) {
        float[] step = stateOrZeros(name, "step");
        float[] m = stateOrZeros(name, "exp_avg", shapeOf(name));
        float[] v = stateOrZeros(name, "exp_avg_sq", shapeOf(name));
        step[0] += 1f;
        double t = step[0];
        float b1 = (float) beta1, b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1), oneMinusB2 = (float) (1 - beta2);
        float wd = (float) weightDecay;
        double bias1 = 1 - Math.pow(beta1, t);
        float stepSize = (float) (lr() / bias1);
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float epsF = (float) eps;
        for (int i = 0; i < param.length; i++) {
            float g = wd == 0f ? grad[i] : grad[i] + wd * param[i];
            m[i] = m[i] * b1 + oneMinusB1 * g;
            v[i] = v[i] * b2 + oneMinusB2 * g * g;
            float denom = (float) Math.sqrt(v[i]) / bias2Sqrt + epsF;
            param[i] -= stepSize * (m[i] / denom);
        }
    }

    private int[] shapeOf(String name) {
        return parameters().get(name).shape();
    }
}
