package dev.vnet.core.nn;

import dev.vnet.core.ops.Convolution;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * A 2D convolution layer like {@code torch.nn.Conv2d} (square kernel, no dilation or groups):
 * parameters {@code weight [out, in, k, k]} with Kaiming normal initialisation and, if enabled,
 * {@code bias [out]} starting at 0.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param inChannels  input channels
     * @param outChannels output channels
     * @param kernelSize  kernel height and width
     * @param stride      stride in both directions
     * @param padding     zero padding on every side
     * @param bias        whether the layer has a bias
     * @param rng         the source of the initial weights
     */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Rng rng) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel size and stride must be >= 1 and padding >= 0, got in "
                    + inChannels + ", out " + outChannels + ", kernel " + kernelSize + ", stride " + stride + ", padding " + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.weight = registerParameter("weight", Init.kaimingNormal(rng, outChannels, inChannels, kernelSize, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
    }

    /** {@return {@code weight [out, in, k, k]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out]}, or {@code null} if the layer has none} */
    public Parameter bias() {
        return bias;
    }

    // x [n, in, h, w] -> y [n, out, (h + 2·padding − k)/stride + 1, ...]
    @Override
    public Tensor forward(Tensor x) {
        return Convolution.conv2d(x, weight.value(), bias == null ? null : bias.value(), stride, padding);
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel_size=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + (bias == null ? ", bias=False" : "") + ")";
    }
}
