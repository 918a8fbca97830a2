package dev.vnet.core.nn;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Tensor;

/**
 * {@code x > 0 ? x : a·x} with learned slopes, like {@code torch.nn.PReLU(num_parameters, init=0.25)}:
 * parameter {@code weight [numParameters]}, one slope per channel or a single shared one.
 */
public final class PReLU extends Module {
    private final Parameter weight;

    /**
     * One slope per channel (or 1 for a shared slope), starting at 0.25.
     *
     * @param numParameters the number of slopes: the channel count, or 1
     */
    public PReLU(int numParameters) {
        this(numParameters, 0.25f);
    }

    /**
     * One slope per channel (or 1 for a shared slope), starting at {@code init}.
     *
     * @param numParameters the number of slopes: the channel count, or 1
     * @param init          the starting slope
     */
    public PReLU(int numParameters, float init) {
        if (numParameters < 1) {
            throw new IllegalArgumentException("PReLU: numParameters must be >= 1, got " + numParameters);
        }
        this.weight = registerParameter("weight", Tensor.full(init, numParameters));
    }

    /** {@return the slopes {@code [numParameters]}} */
    public Parameter weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.prelu(x, weight.value());
    }

    @Override
    public String toString() {
        return "PReLU(num_parameters=" + weight.size() + ")";
    }
}
