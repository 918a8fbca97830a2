package dev.vnet.core.nn;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/** Weight initialisation. */
public final class Init {
    private Init() {}

    /**
     * He/Kaiming normal initialisation for ReLU networks, as {@code torch.nn.init.kaiming_normal_(w,
     * mode='fan_in', nonlinearity='relu')}: values from N(0, 2 / fan_in), where, as in PyTorch, fan_in is
     * {@code shape[1] · Π shape[2:]} (in-channels × kernel area for a convolution's {@code [out, in, kH, kW]}).
     *
     * @param rng   the random source
     * @param shape the weight shape, {@code [out, in, kh, kw]}
     * @return a new tensor of weights
     */
    public static Tensor kaimingNormal(Rng rng, int... shape) {
        int fanIn = fanIn("kaimingNormal", shape);
        return Tensor.randn(rng, (float) Math.sqrt(2.0 / fanIn), shape);
    }

    /**
     * Kaiming (He) uniform initialisation, as {@code torch.nn.init.kaiming_uniform_(w, a, mode='fan_in',
     * nonlinearity='leaky_relu')}: values from U(−bound, bound) with {@code bound = gain · √(3 / fan_in)} and
     * {@code gain = √(2 / (1 + a²))}, fan_in as in {@link #kaimingNormal}. PyTorch's {@code nn.Linear} and
     * {@code nn.Conv2d} initialise their weights with {@code a = √5}, which makes the bound {@code 1 / √fan_in}.
     *
     * @param rng   the random source
     * @param a     the negative slope of the leaky ReLU the gain is computed for ({@code √5} for PyTorch's default)
     * @param shape the weight shape, {@code [out, in, ...]}
     * @return a new tensor of weights
     */
    public static Tensor kaimingUniform(Rng rng, double a, int... shape) {
        int fanIn = fanIn("kaimingUniform", shape);
        float bound = (float) (Math.sqrt(2.0 / (1 + a * a)) * Math.sqrt(3.0 / fanIn));
        return uniform(rng, bound, shape);
    }

    /**
     * Values from U(−bound, bound), as {@code torch.nn.init.uniform_(t, -bound, bound)}; PyTorch's {@code nn.Linear}
     * and {@code nn.Conv2d} draw their biases so with {@code bound = 1 / √fan_in} of the weight.
     *
     * @param rng   the random source
     * @param bound the half-width of the interval, {@code >= 0}
     * @param shape the dimensions
     * @return a new tensor
     */
    public static Tensor uniform(Rng rng, float bound, int... shape) {
        if (!(bound >= 0f) || Float.isInfinite(bound)) {
            throw new IllegalArgumentException("uniform: bound must be finite and >= 0, got " + bound);
        }
        return Tensor.uniform(rng, -bound, bound, shape);
    }

    /** {@return {@code shape[1] · Π shape[2:]}}, PyTorch's fan_in, after checking there are at least 2 dimensions. */
    static int fanIn(String what, int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException(what + ": needs at least 2 dimensions to define fan_in, got "
                    + java.util.Arrays.toString(shape));
        }
        int fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        return fanIn;
    }
}
