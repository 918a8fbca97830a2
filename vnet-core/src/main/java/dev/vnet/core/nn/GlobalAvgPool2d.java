package dev.vnet.core.nn;

import dev.vnet.core.ops.Pooling;
import dev.vnet.core.tensor.Tensor;

/**
 * The mean of each channel, {@code [N, C, H, W] → [N, C]}: PyTorch's {@code nn.AdaptiveAvgPool2d(1)} followed by
 * {@code nn.Flatten()}, in one module with no parameters; see {@link Pooling#globalAvgPool2d}.
 */
public final class GlobalAvgPool2d extends Module {
    // x [n, c, h, w] -> y [n, c]
    @Override
    public Tensor forward(Tensor x) {
        return Pooling.globalAvgPool2d(x);
    }

    @Override
    public String toString() {
        return "GlobalAvgPool2d()";
    }
}
