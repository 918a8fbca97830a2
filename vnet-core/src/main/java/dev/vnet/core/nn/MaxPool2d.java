package dev.vnet.core.nn;

import dev.vnet.core.ops.Pooling;
import dev.vnet.core.tensor.Tensor;

/** Max pooling like {@code torch.nn.MaxPool2d(kernel, stride, padding)} (floor mode, no dilation); see {@link Pooling#maxPool2d}. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * @param kernel  the window's height and width, at least 1
     * @param stride  the step between windows, at least 1 (PyTorch's usual choice is the kernel)
     * @param padding the −∞ border on every side, at most {@code kernel / 2}
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        Pooling.checkWindow("MaxPool2d", kernel, stride, padding);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    // x [n, c, h, w] -> y [n, c, (h + 2·padding − kernel)/stride + 1, ...]
    @Override
    public Tensor forward(Tensor x) {
        return Pooling.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                + ", dilation=1, ceil_mode=False)";
    }
}
