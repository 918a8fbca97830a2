package dev.vnet.core.nn;

import dev.vnet.core.ops.Convolution;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * A transposed 2D convolution layer like {@code torch.nn.ConvTranspose2d} (square kernel): parameters
 * {@code weight [in, out, k, k]} (PyTorch's layout) and, if enabled, {@code bias [out]} starting at 0.
 * The weight is Kaiming normal with PyTorch's fan_in of this layout, {@code out · k · k}.
 */
public final class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param inChannels    input channels
     * @param outChannels   output channels
     * @param kernelSize    kernel height and width
     * @param stride        stride in both directions (the upsampling factor)
     * @param padding       the padding of the convolution this one transposes
     * @param outputPadding extra rows and columns added to one side of the output
     * @param bias          whether the layer has a bias
     * @param rng           the source of the initial weights
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           boolean bias, Rng rng) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0
                || outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: channels, kernel size and stride must be >= 1, padding >= 0"
                    + " and 0 <= output padding < stride, got in " + inChannels + ", out " + outChannels + ", kernel "
                    + kernelSize + ", stride " + stride + ", padding " + padding + ", output padding " + outputPadding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.weight = registerParameter("weight", Init.kaimingNormal(rng, inChannels, outChannels, kernelSize, kernelSize));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
    }

    /** {@return {@code weight [in, out, k, k]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [out]}, or {@code null} if the layer has none} */
    public Parameter bias() {
        return bias;
    }

    // x [n, in, h, w] -> y [n, out, (h − 1)·stride − 2·padding + k + outputPadding, ...]
    @Override
    public Tensor forward(Tensor x) {
        return Convolution.convTranspose2d(x, weight.value(), bias == null ? null : bias.value(), stride, padding,
                outputPadding);
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + inChannels + ", " + outChannels + ", kernel_size=" + kernelSize + ", stride=" + stride
                + ", padding=" + padding + ", output_padding=" + outputPadding + (bias == null ? ", bias=False" : "") + ")";
    }
}
