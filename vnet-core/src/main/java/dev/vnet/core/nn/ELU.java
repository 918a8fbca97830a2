package dev.vnet.core.nn;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Tensor;

/** {@code x > 0 ? x : alpha·(exp(x) − 1)}, like {@code torch.nn.ELU(alpha)}. */
public final class ELU extends Module {
    private final float alpha;

    /** ELU with alpha 1. */
    public ELU() {
        this(1f);
    }

    /**
     * ELU with the given alpha.
     *
     * @param alpha the value the output approaches for very negative inputs is {@code -alpha}
     */
    public ELU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.elu(x, alpha);
    }

    @Override
    public String toString() {
        return "ELU(alpha=" + alpha + ")";
    }
}
