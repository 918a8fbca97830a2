package dev.vnet.core.nn;

import dev.vnet.core.ops.Dense;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * A fully connected layer like {@code torch.nn.Linear(in, out, bias)}: parameters {@code weight [out, in]} and, if
 * enabled, {@code bias [out]}, both initialised as PyTorch does: the weight by Kaiming uniform with {@code a = √5},
 * which is U(±1/√in), then the bias from U(±1/√in), drawn in that order from {@code rng}.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param inFeatures  the size of each input vector, at least 1
     * @param outFeatures the size of each output vector, at least 1
     * @param bias        whether the layer has a bias
     * @param rng         the source of the initial weights
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: in and out features must be >= 1, got in " + inFeatures + ", out "
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.kaimingUniform(rng, Math.sqrt(5), outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Init.uniform(rng, (float) (1 / Math.sqrt(inFeatures)), outFeatures))
                : null;
    }

    /** {@return {@code weight [out, in]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out]}, or {@code null} if the layer has none} */
    public Parameter bias() {
        return bias;
    }

    /** {@return the size of each input vector} */
    public int inFeatures() {
        return inFeatures;
    }

    /** {@return the size of each output vector} */
    public int outFeatures() {
        return outFeatures;
    }

    // x [n, in] -> y [n, out]
    @Override
    public Tensor forward(Tensor x) {
        return Dense.linear(x, weight.value(), bias == null ? null : bias.value());
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias="
                + (bias == null ? "False" : "True") + ")";
    }
}
