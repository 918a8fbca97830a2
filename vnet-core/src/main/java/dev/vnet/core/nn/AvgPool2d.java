package dev.vnet.core.nn;

import dev.vnet.core.ops.Pooling;
import dev.vnet.core.tensor.Tensor;

/**
 * Average pooling like {@code torch.nn.AvgPool2d(kernel, stride, padding)} with its defaults (floor mode, the padding
 * counted in the mean); see {@link Pooling#avgPool2d}.
 */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param kernel  the window's height and width, at least 1
     * @param stride  the step between windows, at least 1
     * @param padding the zero border on every side, at most {@code kernel / 2}
     */
    public AvgPool2d(int kernel, int stride, int padding) {
        Pooling.checkWindow("AvgPool2d", kernel, stride, padding);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    // x [n, c, h, w] -> y [n, c, (h + 2·padding − kernel)/stride + 1, ...]
    @Override
    public Tensor forward(Tensor x) {
        return Pooling.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ")";
    }
}
