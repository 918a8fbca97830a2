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
import dev.vnet.core.ops.Reshaping;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The building blocks of {@link VNet}, named as in MONAI's {@code monai/networks/nets/vnet.py} so
 * that state-dict keys match one to one.
 */
final class VNetBlocks {
    private VNetBlocks() {}

    /**
     * A block whose children are registered in the order of MONAI's code (which fixes the state-dict order and the
     * order the weights are drawn), not in the order data flows through them.
     */
    interface DataFlow {
        /** {@return the children in the order data flows through them, optional ones that are absent left out} */
        List<Module> dataFlow();
    }

    /** {@return the modules that are not null, in order} */
    private static List<Module> present(Module... modules) {
        return Arrays.stream(modules).filter(Objects::nonNull).toList();
    }

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
        Tensor y;
        if (act instanceof ReLU) {
            y = bn.forwardRelu(x);
        } else {
            Tensor z = bn.forward(x);
            y = act.forward(z);
            releaseUnless(z, y);
        }
        // x is a convolution's output made for this norm alone (every caller): in inference, its array is free now
        releaseUnless(x, y);
        return y;
    }

    /** {@link Tensor#release()} of {@code t} unless it is {@code kept} (a module may return its input). */
    static void releaseUnless(Tensor t, Tensor kept) {
        if (t != kept) {
            t.release();
        }
    }

    /** {@code act(a + b)}: with ReLU one op that does not keep the sum (see {@link Activations#reluOfSum}). */
    static Tensor sumThenActivation(Module act, Tensor a, Tensor b) {
        Tensor y;
        if (act instanceof ReLU) {
            y = Activations.reluOfSum(a, b);
        } else {
            Tensor sum = Elementwise.add(a, b);
            y = act.forward(sum);
            releaseUnless(sum, y);
        }
        // both operands end here in every block: a stage's last convolution and its residual
        releaseUnless(a, y);
        releaseUnless(b, y);
        return y;
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
            Tensor z = conv.forward(x);
            Tensor y = adn.forward(z);
            releaseUnless(z, y);
            return y;
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
    static final class LUConv extends Module implements DataFlow {
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

        @Override
        public List<Module> dataFlow() {
            return present(convBlock, actFunction);
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
    static final class InputTransition extends Module implements DataFlow {
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
            Tensor res = residual == null ? Reshaping.repeatChannels(x, out / in) : residual.forward(x);
            return sumThenActivation(actFunction, convBlock.forward(x), res);
        }

        @Override
        public List<Module> dataFlow() {
            return present(convBlock, residual, actFunction);
        }
    }

    /** {@code DownTransition}: down = act(bn(conv2×2 stride 2(x))); act(ops(dropout(down)) + down). */
    static final class DownTransition extends Module implements DataFlow {
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

        @Override
        public List<Module> dataFlow() {
            return present(downConv, bn1, actFunction1, dropout, ops, actFunction2);
        }
    }

    /**
     * {@code UpTransition}: up = act(bn(convT2×2 stride 2(dropout(x)))); cat = [up, skip];
     * act(ops(cat) + cat). MONAI's fixed 0.5 dropout of the skip connection ({@code dropout2}, which with
     * its 3D default drops whole samples of a 2D batch) is left out.
     */
    static final class UpTransition extends Module implements DataFlow {
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
            // the stage's input and the skip connection are read by nothing after this (VNet.forward uses each once)
            in.release();
            x.release();
            Tensor cat = Reshaping.concatChannels(up, skip);
            up.release();
            skip.release();
            return sumThenActivation(actFunction2, ops.forward(cat), cat);
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("UpTransition needs the skip connection: call forward(x, skip)");
        }

        /** {@return the children that give the up-sampled half of the concatenation ({@code out / 2} channels)} */
        List<Module> beforeConcat() {
            return present(upConv, bn1, actFunction1);
        }

        /**
         * {@return the children after the concatenation} The dropout, which acts on the input, is listed here as
         * {@code describe} always has.
         */
        List<Module> afterConcat() {
            return present(dropout, ops, actFunction2);
        }

        @Override
        public List<Module> dataFlow() {
            List<Module> all = new ArrayList<>(beforeConcat());
            all.addAll(afterConcat());
            return all;
        }
    }

    /** {@code OutputTransition}: conv2(act(bn(conv5×5(x)))), with {@code conv2} a 1×1 conv with bias. */
    static final class OutputTransition extends Module implements DataFlow {
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
            Tensor z = normThenActivation(convBlock.adn.norm, actFunction1, convBlock.conv.forward(x));
            Tensor y = conv2.forward(z);
            releaseUnless(z, y);
            return y;
        }

        @Override
        public List<Module> dataFlow() {
            return present(convBlock, actFunction1, conv2);
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
