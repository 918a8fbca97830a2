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
        if (shape.length < 2) {
            throw new IllegalArgumentException("kaimingNormal: needs at least 2 dimensions to define fan_in, got "
                    + java.util.Arrays.toString(shape));
        }
        int fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
            fanIn *= shape[i];
        }
        return Tensor.randn(rng, (float) Math.sqrt(2.0 / fanIn), shape);
    }
}
