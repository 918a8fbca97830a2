package dev.vnet.train.classify;

import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.Module;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * A residual block as ResNet's basic block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, 3×3
 * convolutions without bias (batch norm follows); the shortcut is the identity, or a 1×1 convolution with batch norm
 * where the block changes the channels or the resolution ({@code stride} 2). {@code [n, in, h, w]} →
 * {@code [n, out, h / stride, w / stride]}.
 */
public final class ResidualBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d shortcutConv;
    private final BatchNorm2d shortcutBn;
    private final String text;

    /**
     * A block from {@code in} to {@code out} channels.
     *
     * @param in     input channels
     * @param out    output channels
     * @param stride 1, or 2 to halve the resolution
     * @param rng    the weights' random stream
     */
    public ResidualBlock(int in, int out, int stride, Rng rng) {
        conv1 = registerModule("conv1", new Conv2d(in, out, 3, stride, 1, false, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(out));
        conv2 = registerModule("conv2", new Conv2d(out, out, 3, 1, 1, false, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(out));
        if (in != out || stride != 1) {
            // PyTorch's ResNet names the projection "downsample.0" and "downsample.1".
            Projection p = registerModule("downsample", new Projection(in, out, stride, rng));
            shortcutConv = p.conv;
            shortcutBn = p.bn;
        } else {
            shortcutConv = null;
            shortcutBn = null;
        }
        text = "ResidualBlock(" + in + ", " + out + ", stride=" + stride + ")";
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = bn2.forward(conv2.forward(bn1.forwardRelu(conv1.forward(x))));
        Tensor shortcut = shortcutConv == null ? x : shortcutBn.forward(shortcutConv.forward(x));
        return Activations.reluOfSum(y, shortcut);
    }

    @Override
    public String toString() {
        return text;
    }

    /** The 1×1 convolution and batch norm of a shortcut that changes shape, named {@code 0} and {@code 1}. */
    private static final class Projection extends Module {
        final Conv2d conv;
        final BatchNorm2d bn;

        Projection(int in, int out, int stride, Rng rng) {
            conv = registerModule("0", new Conv2d(in, out, 1, stride, 0, false, rng));
            bn = registerModule("1", new BatchNorm2d(out));
        }

        @Override
        public Tensor forward(Tensor x) {
            return bn.forward(conv.forward(x));
        }
    }
}
