package dev.vnet.core.nn.vnet;

import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.ConvTranspose2d;
import dev.vnet.core.nn.Dropout2d;
import dev.vnet.core.nn.ELU;
import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.PReLU;
import dev.vnet.core.nn.ReLU;
import dev.vnet.core.nn.Sequential;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.ops.Shapes;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * The building blocks of {@link VNet}, named as in MONAI's {@code monai/networks/nets/vnet.py} so
 * that state-dict keys match one to one.
 */
final class VNetBlocks {
    private VNetBlocks() {}

    static Module activation(VNetConfig.Activation a, int channels) {
        return switch (a) {
            case RELU -> new ReLU();
            case PRELU -> new PReLU(channels);
            case ELU -> new ELU();
        };
    }

    /**
     * {@code act(bn(x))}: with ReLU one op that does not keep the normalised tensor (see
     * {@link BatchNorm2d#forwardRelu}), otherwise the two modules.
     */
    static Tensor normThenActivation(BatchNorm2d bn, Module act, Tensor x) {
        return act instanceof ReLU ? bn.forwardRelu(x) : act.forward(bn.forward(x));
    }

    /** {@code act(a + b)}: with ReLU one op that does not keep the sum (see {@link Activations#reluOfSum}). */
    static Tensor sumThenActivation(Module act, Tensor a, Tensor b) {
        return act instanceof ReLU ? Activations.reluOfSum(a, b) : act.forward(Elementwise.add(a, b));
    }

    /** MONAI's {@code Convolution(act=None, norm=BATCH)}: a conv without bias, then {@code adn.N}, a batch norm. */
    static final class ConvBlock extends Module {
        final Conv2d conv;
        final Adn adn;

        ConvBlock(int in, int out, int kernel, Rng rng) {
            conv = registerModule("conv", new Conv2d(in, out, kernel, 1, kernel / 2, false, rng));
            adn = registerModule("adn", new Adn(out));
        }

        // x [n, in, h, w] -> [n, out, h, w]
        @Override
        public Tensor forward(Tensor x) {
            return adn.forward(conv.forward(x));
        }
    }

    /** MONAI's ADN block reduced to its norm, registered under {@code N}. */
    static final class Adn extends Module {
        final BatchNorm2d norm;

        Adn(int channels) {
            norm = registerModule("N", new BatchNorm2d(channels));
        }

        @Override
        public Tensor forward(Tensor x) {
            return norm.forward(x);
        }
    }

    /** {@code LUConv}: 5×5 conv, batch norm, activation. */
    static final class LUConv extends Module {
        final Module actFunction;
        final ConvBlock convBlock;

        LUConv(int channels, VNetConfig.Activation a, Rng rng) {
            actFunction = registerModule("act_function", activation(a, channels));
            convBlock = registerModule("conv_block", new ConvBlock(channels, channels, 5, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            return normThenActivation(convBlock.adn.norm, actFunction, convBlock.conv.forward(x));
        }
    }

    static Sequential nconv(int channels, int depth, VNetConfig.Activation a, Rng rng) {
        Sequential s = new Sequential();
        for (int i = 0; i < depth; i++) {
            s.add(new LUConv(channels, a, rng));
        }
        return s;
    }

    /**
     * {@code InputTransition}: act(bn(conv5×5(x)) + residual(x)). The residual is x repeated across the
     * channels when they divide evenly (MONAI); otherwise a learned 1×1 projection {@code residual.weight}
     * (MONAI refuses such channel counts, e.g. RGB into 16).
     */
    static final class InputTransition extends Module {
        final int in;
        final int out;
        final Module actFunction;
        final ConvBlock convBlock;
        final Conv2d residual;

        InputTransition(int in, int out, VNetConfig.Activation a, Rng rng) {
            this.in = in;
            this.out = out;
            actFunction = registerModule("act_function", activation(a, out));
            convBlock = registerModule("conv_block", new ConvBlock(in, out, 5, rng));
            residual = out % in == 0 ? null : registerModule("residual", new Conv2d(in, out, 1, 1, 0, false, rng));
        }

        // x [n, in, h, w] -> [n, out, h, w]
        @Override
        public Tensor forward(Tensor x) {
            Tensor res = residual == null ? Shapes.repeatChannels(x, out / in) : residual.forward(x);
            return sumThenActivation(actFunction, convBlock.forward(x), res);
        }
    }

    /** {@code DownTransition}: down = act(bn(conv2×2 stride 2(x))); act(ops(dropout(down)) + down). */
    static final class DownTransition extends Module {
        final Conv2d downConv;
        final BatchNorm2d bn1;
        final Module actFunction1;
        final Module actFunction2;
        final Sequential ops;
        final Dropout2d dropout;

        DownTransition(int in, int nconvs, VNetConfig.Activation a, float dropoutP, Rng rng) {
            int out = 2 * in;
            downConv = registerModule("down_conv", new Conv2d(in, out, 2, 2, 0, false, rng));
            bn1 = registerModule("bn1", new BatchNorm2d(out));
            actFunction1 = registerModule("act_function1", activation(a, out));
            actFunction2 = registerModule("act_function2", activation(a, out));
            ops = registerModule("ops", nconv(out, nconvs, a, rng));
            dropout = dropoutP > 0 ? registerModule("dropout", new Dropout2d(dropoutP, rng.split())) : null;
        }

        // x [n, c, h, w] -> [n, 2c, h/2, w/2]
        @Override
        public Tensor forward(Tensor x) {
            Tensor down = normThenActivation(bn1, actFunction1, downConv.forward(x));
            Tensor out = dropout == null ? down : dropout.forward(down);
            return sumThenActivation(actFunction2, ops.forward(out), down);
        }
    }

    /**
     * {@code UpTransition}: up = act(bn(convT2×2 stride 2(dropout(x)))); cat = [up, skip];
     * act(ops(cat) + cat). MONAI's fixed 0.5 dropout of the skip connection ({@code dropout2}, which with
     * its 3D default drops whole samples of a 2D batch) is left out.
     */
    static final class UpTransition extends Module {
        final ConvTranspose2d upConv;
        final BatchNorm2d bn1;
        final Dropout2d dropout;
        final Module actFunction1;
        final Module actFunction2;
        final Sequential ops;

        UpTransition(int in, int out, int nconvs, VNetConfig.Activation a, float dropoutP, Rng rng) {
            upConv = registerModule("up_conv", new ConvTranspose2d(in, out / 2, 2, 2, 0, 0, true, rng));
            bn1 = registerModule("bn1", new BatchNorm2d(out / 2));
            dropout = dropoutP > 0 ? registerModule("dropout", new Dropout2d(dropoutP, rng.split())) : null;
            actFunction1 = registerModule("act_function1", activation(a, out / 2));
            actFunction2 = registerModule("act_function2", activation(a, out));
            ops = registerModule("ops", nconv(out, nconvs, a, rng));
        }

        // x [n, in, h, w], skip [n, out/2, 2h, 2w] -> [n, out, 2h, 2w]
        Tensor forward(Tensor x, Tensor skip) {
            Tensor in = dropout == null ? x : dropout.forward(x);
            Tensor up = normThenActivation(bn1, actFunction1, upConv.forward(in));
            Tensor cat = Shapes.concatChannels(up, skip);
            return sumThenActivation(actFunction2, ops.forward(cat), cat);
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("UpTransition needs the skip connection: call forward(x, skip)");
        }
    }

    /** {@code OutputTransition}: conv2(act(bn(conv5×5(x)))), with {@code conv2} a 1×1 conv with bias. */
    static final class OutputTransition extends Module {
        final Module actFunction1;
        final ConvBlock convBlock;
        final Conv2d conv2;

        OutputTransition(int in, int out, VNetConfig.Activation a, Rng rng) {
            actFunction1 = registerModule("act_function1", activation(a, out));
            convBlock = registerModule("conv_block", new ConvBlock(in, out, 5, rng));
            conv2 = registerModule("conv2", new Conv2d(out, out, 1, 1, 0, true, rng));
        }

        // x [n, in, h, w] -> logits [n, out, h, w]
        @Override
        public Tensor forward(Tensor x) {
            return conv2.forward(normThenActivation(convBlock.adn.norm, actFunction1, convBlock.conv.forward(x)));
        }

        /** Sets the bias of the final 1×1 convolution so that σ(logit) starts near {@code prior} for every class. */
        void setForegroundPrior(double prior) {
            if (!(prior > 0 && prior < 1)) {
                throw new IllegalArgumentException("foreground prior must be in (0, 1), got " + prior);
            }
            java.util.Arrays.fill(conv2.bias().value().data(), (float) Math.log(prior / (1 - prior)));
        }
    }
}
