package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Kernels;
import dev.vnet.core.kernels.NaiveConvKernels;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Convolution and transposed convolution against PyTorch and finite differences, through each kernel implementation. */
class ConvolutionTest {
    private static final TorchFixtures REF = TorchFixtures.load("convolution");
    private static final ConvKernels DEFAULT = Kernels.conv();

    static List<ConvKernels> kernels() {
        return List.of(NaiveConvKernels.INSTANCE, GemmConvKernels.instance());
    }

    @AfterEach
    void restoreKernels() {
        Kernels.setConv(DEFAULT);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void conv2dMatchesPyTorch(ConvKernels kernels) {
        Kernels.setConv(kernels);
        // tag, strideH, strideW, padH, padW (as in torch_core.py)
        Object[][] cases = {{"c1", 1, 1, 1, 1}, {"c2", 2, 2, 2, 2}, {"c3", 2, 2, 0, 0}, {"c4", 2, 1, 0, 1}};
        for (Object[] c : cases) {
            String tag = (String) c[0];
            Tensor x = REF.leaf(tag + ".x"), w = REF.leaf(tag + ".w");
            Tensor b = REF.has(tag + ".b") ? REF.leaf(tag + ".b") : null;
            Tensor y = Convolution.conv2d(x, w, b, (int) c[1], (int) c[2], (int) c[3], (int) c[4]);
            y.backward(REF.get(tag + ".dy").data());
            REF.assertClose(tag + ".y", y);
            REF.assertClose(tag + ".dx", x.grad());
            REF.assertClose(tag + ".dw", w.grad());
            if (b != null) {
                REF.assertClose(tag + ".db", b.grad());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void convTranspose2dMatchesPyTorch(ConvKernels kernels) {
        Kernels.setConv(kernels);
        // tag, stride, padding, output padding (as in torch_core.py)
        Object[][] cases = {{"t1", 2, 0, 0}, {"t2", 2, 1, 1}, {"t3", 1, 2, 0}};
        for (Object[] c : cases) {
            String tag = (String) c[0];
            Tensor x = REF.leaf(tag + ".x"), w = REF.leaf(tag + ".w");
            Tensor b = REF.has(tag + ".b") ? REF.leaf(tag + ".b") : null;
            Tensor y = Convolution.convTranspose2d(x, w, b, (int) c[1], (int) c[2], (int) c[3]);
            y.backward(REF.get(tag + ".dy").data());
            REF.assertClose(tag + ".y", y);
            REF.assertClose(tag + ".dx", x.grad());
            REF.assertClose(tag + ".dw", w.grad());
            if (b != null) {
                REF.assertClose(tag + ".db", b.grad());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradientsMatchFiniteDifferences(ConvKernels kernels) {
        Kernels.setConv(kernels);
        Rng rng = new Rng(31);
        GradCheck check = GradCheck.standard();
        check.check("conv2d 3x3 pad 1", in -> Convolution.conv2d(in[0], in[1], in[2], 1, 1),
                leaf(rng, 2, 2, 5, 4), leaf(rng, 3, 2, 3, 3), leaf(rng, 3));
        check.check("conv2d 2x2 stride 2", in -> Convolution.conv2d(in[0], in[1], null, 2, 0),
                leaf(rng, 1, 2, 4, 6), leaf(rng, 2, 2, 2, 2));
        check.check("conv2d 3x2 stride 2x1", in -> Convolution.conv2d(in[0], in[1], in[2], 2, 1, 1, 0),
                leaf(rng, 1, 2, 5, 4), leaf(rng, 2, 2, 3, 2), leaf(rng, 2));
        check.check("convTranspose2d 2x2 stride 2", in -> Convolution.convTranspose2d(in[0], in[1], in[2], 2, 0, 0),
                leaf(rng, 2, 3, 2, 3), leaf(rng, 3, 2, 2, 2), leaf(rng, 2));
        check.check("convTranspose2d 3x3 stride 2 pad 1 outpad 1", in -> Convolution.convTranspose2d(in[0], in[1], null, 2, 1, 1),
                leaf(rng, 1, 2, 3, 2), leaf(rng, 2, 3, 3, 3));
        // x feeds two transposed convolutions: the second backward adds to a gradient that already exists.
        check.check("convTranspose2d twice", in -> Elementwise.add(Convolution.convTranspose2d(in[0], in[1], null, 2, 0, 0),
                        Convolution.convTranspose2d(in[0], in[2], null, 2, 0, 0)),
                leaf(rng, 1, 2, 2, 2), leaf(rng, 2, 2, 2, 2), leaf(rng, 2, 2, 2, 2));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void anAccumulatedTransposedGradientIsTheExactSumOfItsParts(ConvKernels kernels) {
        Kernels.setConv(kernels);
        Rng rng = new Rng(13);
        // Two sizes in turn: the second transposed convolution's input gradient is added to the first's by the kernels.
        for (int[] shape : new int[][] {{2, 3, 7, 5}, {1, 3, 4, 3}}) {
            Tensor x = leaf(rng, shape);
            Tensor w1 = Tensor.randn(rng, 1f, 3, 2, 3, 3), w2 = Tensor.randn(rng, 1f, 3, 2, 3, 3);
            Tensor y = Elementwise.add(Convolution.convTranspose2d(x, w1, null, 2, 1, 1),
                    Convolution.convTranspose2d(x, w2, null, 2, 1, 1));
            float[] dy = Tensor.randn(rng, 1f, y.shape()).data();
            y.backward(dy);
            float[] expected = inputGradient(x, w1, dy);
            float[] second = inputGradient(x, w2, dy);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += second[i];
            }
            assertThat(x.grad()).containsExactly(expected);
        }
    }

    /** The gradient with respect to {@code x} of {@code <convTranspose2d(x, w), dy>}, x alone. */
    private static float[] inputGradient(Tensor x, Tensor w, float[] dy) {
        Tensor alone = Tensor.of(x.data(), x.shape()).requiresGrad(true);
        Convolution.convTranspose2d(alone, w, null, 2, 1, 1).backward(dy);
        return alone.grad();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void transposedConvolutionIsTheAdjointOfConvolution(ConvKernels kernels) {
        Kernels.setConv(kernels);
        // <conv(x), y> = <x, convT(y)> for the same weight: the identity the kernel reuse relies on.
        Rng rng = new Rng(77);
        Tensor x = Tensor.randn(rng, 1f, 2, 3, 7, 6);
        Tensor w = Tensor.randn(rng, 1f, 4, 3, 3, 3);
        Tensor cx = Convolution.conv2d(x, w, null, 2, 1);
        Tensor y = Tensor.randn(rng, 1f, cx.shape());
        Tensor ty = Convolution.convTranspose2d(y, w, null, 2, 2, 1, 1, 0, 1);
        assertThat(ty.shape()).isEqualTo(x.shape());
        double left = dot(cx.data(), y.data()), right = dot(x.data(), ty.data());
        assertThat(Math.abs(left - right)).isLessThan(1e-4 * Math.abs(left) + 1e-4);
    }

    @Test
    void badShapesAreRejectedWithTheOpAndBothShapes() {
        Tensor x = Tensor.zeros(1, 3, 8, 8);
        assertThatThrownBy(() -> Convolution.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d").hasMessageContaining("[1, 3, 8, 8]").hasMessageContaining("[4, 2, 3, 3]");
        assertThatThrownBy(() -> Convolution.conv2d(x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d").hasMessageContaining("bias").hasMessageContaining("[3]");
        assertThatThrownBy(() -> Convolution.convTranspose2d(x, Tensor.zeros(4, 3, 2, 2), null, 2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("convTranspose2d").hasMessageContaining("[1, 3, 8, 8]").hasMessageContaining("[4, 3, 2, 2]");
        assertThatThrownBy(() -> Convolution.convTranspose2d(x, Tensor.zeros(3, 3, 2, 2), null, 2, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output padding");
    }

    @Test
    void kernelLargerThanThePaddedInputIsRejected() {
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        assertThatThrownBy(() -> Convolution.conv2d(x, Tensor.zeros(1, 1, 7, 7), null, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d").hasMessageContaining("kernel 7x7").hasMessageContaining("padded input 6x6");
    }

    private static Tensor leaf(Rng rng, int... shape) {
        return Tensor.randn(rng, 1f, shape).requiresGrad(true);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
