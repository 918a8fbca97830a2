package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the Winograd F(2×2, 5×5) plan to the reference loops on random inputs. Tolerance: 2·10⁻⁵ of the largest
 * output magnitude (the transforms' float error measured by {@code tools/fixtures/winograd_matrices.py} is about
 * 6·10⁻⁶ of it; the PyTorch parity tests allow 10⁻⁴), so one wrong entry of a transform matrix fails every shape.
 */
class WinogradPlanTest {

    private static final double REL_TOL = 2e-5;
    private static final WinogradPlan.Algorithm[] ALGORITHMS = {WinogradPlan.F2, WinogradPlan.F4};
    private final ConvKernels fast = GemmConvKernels.instance();
    private final ConvKernels ref = NaiveConvKernels.INSTANCE;
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(threadsBefore);
        System.clearProperty(WinogradPlan.PROPERTY);
    }

    /** Odd sizes, sizes that are no multiple of 2, paddings 0-3, batch 1-3, 8 to 256 channels, several blocks. */
    static Stream<ConvGeometry> geometries() {
        // n, c, h, w, k, r, s, sh, sw, ph, pw
        return Stream.of(
                new ConvGeometry(1, 16, 13, 21, 16, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(3, 8, 7, 9, 8, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 32, 20, 17, 24, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(1, 256, 6, 5, 256, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(1, 64, 19, 23, 48, 5, 5, 1, 1, 1, 1),
                new ConvGeometry(1, 16, 5, 5, 20, 5, 5, 1, 1, 0, 0),
                new ConvGeometry(2, 20, 9, 6, 17, 5, 5, 1, 1, 3, 1),
                new ConvGeometry(3, 24, 40, 70, 16, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 32, 50, 45, 40, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(1, 128, 16, 16, 64, 5, 5, 1, 1, 2, 2),
                // tiny images and single channels, as the deepest levels and the ends of a small V-Net
                new ConvGeometry(2, 1, 1, 1, 4, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 4, 2, 3, 1, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 8, 4, 9, 8, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(2, 2, 37, 29, 4, 5, 5, 1, 1, 2, 2));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode());
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        for (float[] bias : new float[][] {null, random(rng, g.k())}) {
            float[] expected = new float[g.outputSize()];
            ref.forward(g, x, w, bias, expected);
            for (WinogradPlan.Algorithm f : ALGORITHMS) {
                float[] actual = filled(g.outputSize(), Float.NaN); // forward overwrites
                WinogradPlan.forward(g, f, x, w, bias, actual, false, GemmScratch.get());
                GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, "forward F(" + f.m + ") " + g);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardAccumulatesLikeReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 1);
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        float[] bias = random(rng, g.k());
        float[] start = random(rng, g.outputSize());
        float[] expected = new float[g.outputSize()];
        ref.forward(g, x, w, bias, expected);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += start[i];
        }
        for (WinogradPlan.Algorithm f : ALGORITHMS) {
            float[] actual = start.clone();
            WinogradPlan.forward(g, f, x, w, bias, actual, true, GemmScratch.get());
            GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, "forward F(" + f.m + "), accumulated with bias " + g);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void kernelsUseThePlanWhereItAppliesAndMatchTheReference(ConvGeometry g) {
        assertThat(WinogradPlan.applies(g)).isEqualTo(g.c() >= WinogradPlan.MIN_CHANNELS
                && g.k() >= WinogradPlan.MIN_CHANNELS && g.n() * g.p() * g.q() >= WinogradPlan.MIN_POSITIONS);
        assertAccumulatesLikeReference(g, 2, g.inputSize(), g.outputSize(),
                (k, in, w, out) -> k.forwardAccumulate(g, in, w, out), "forwardAccumulate");
    }

    /** A call of a kernel that adds into {@code out} from {@code in} and the weights. */
    private interface AccumulatingCall {
        void run(ConvKernels kernels, float[] in, float[] w, float[] out);
    }

    /** {@code call} on random data adds into its output as the naive kernels do. */
    private void assertAccumulatesLikeReference(ConvGeometry g, int salt, int inSize, int outSize, AccumulatingCall call,
                                                String what) {
        Rng rng = new Rng(g.hashCode() + salt);
        float[] in = random(rng, inSize);
        float[] w = random(rng, g.weightSize());
        float[] start = random(rng, outSize);
        float[] expected = start.clone();
        float[] actual = start.clone();
        call.run(ref, in, w, expected);
        call.run(fast, in, w, actual);
        GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, what + " " + g);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightMatchesReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 4);
        float[] x = random(rng, g.inputSize());
        float[] dy = random(rng, g.outputSize());
        float[] start = random(rng, g.weightSize());
        float[] expected = start.clone();
        ref.backwardWeight(g, x, dy, expected, null);
        for (WinogradPlan.Algorithm f : ALGORITHMS) {
            float[] actual = start.clone();
            WinogradPlan.backwardWeight(g, f, x, dy, actual, GemmScratch.get());
            GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, "backwardWeight F(" + f.m + ") " + g);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightThroughTheKernelsMatchesReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 5);
        float[] x = random(rng, g.inputSize());
        float[] dy = random(rng, g.outputSize());
        float[] start = random(rng, g.weightSize());
        float[] biasStart = random(rng, g.k());
        float[] expected = start.clone(), expectedBias = biasStart.clone();
        float[] actual = start.clone(), actualBias = biasStart.clone();
        ref.backwardWeight(g, x, dy, expected, expectedBias);
        fast.backwardWeight(g, x, dy, actual, actualBias);
        GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, "backwardWeight " + g);
        GemmConvKernelsTest.assertClose(actualBias, expectedBias, REL_TOL, 0, "bias gradient " + g);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardInputThroughThePlanMatchesReference(ConvGeometry g) {
        assertAccumulatesLikeReference(g, 3, g.outputSize(), g.inputSize(),
                (k, dy, w, dx) -> k.backwardInput(g, dy, w, dx), "backwardInput");
    }

    @Test
    void thePropertyChoosesTheAlgorithmOrTurnsThePlanOff() {
        ConvGeometry g = new ConvGeometry(2, 32, 48, 48, 40, 5, 5, 1, 1, 2, 2);
        // backwardInput's forward: dy [n, k, p, q] with the flipped weights, padding r - 1 - padH
        ConvGeometry t = new ConvGeometry(g.n(), g.k(), g.p(), g.q(), g.c(), 5, 5, 1, 1, 2, 2);
        assertThat(WinogradPlan.applies(g)).isTrue();
        assertThat(WinogradPlan.applies(t)).isTrue();
        assertThat(WinogradPlan.algorithm()).isSameAs(WinogradPlan.F4);
        System.setProperty(WinogradPlan.PROPERTY, "2");
        assertThat(WinogradPlan.algorithm()).isSameAs(WinogradPlan.F2);
        System.setProperty(WinogradPlan.PROPERTY, "False");
        assertThat(WinogradPlan.applies(g)).isFalse();
        System.setProperty(WinogradPlan.PROPERTY, "3");
        assertThatThrownBy(WinogradPlan::algorithm).hasMessageContaining("'3'").hasMessageContaining("true, false, 2, 4, all2 or all4");
        System.setProperty(WinogradPlan.PROPERTY, "all2");
        assertThat(WinogradPlan.algorithm()).isSameAs(WinogradPlan.F2);
        ConvGeometry small = new ConvGeometry(1, 1, 6, 7, 2, 5, 5, 1, 1, 2, 2);
        assertThat(WinogradPlan.applies(small)).isTrue();
        assertThat(WinogradPlan.applies(new ConvGeometry(1, 1, 6, 7, 2, 3, 3, 1, 1, 1, 1))).isFalse();
    }

    @Test
    void resultsDoNotDependOnTheThreadCountNorTheRun() {
        // several blocks per image and images: units (image, block) over 1, 2 and 3 threads
        ConvGeometry g = new ConvGeometry(3, 32, 100, 70, 32, 5, 5, 1, 1, 2, 2);
        assertThat(WinogradPlan.applies(g)).isTrue();
        Rng rng = new Rng(11);
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        float[] bias = random(rng, g.k());
        float[] dy = random(rng, g.outputSize());
        for (WinogradPlan.Algorithm f : ALGORITHMS) {
            assertThat(new WinogradPlan(g, f).blocksPerImage()).isGreaterThan(1);
            System.setProperty(WinogradPlan.PROPERTY, String.valueOf(f.m));
            float[] y1 = null, dx1 = null;
            float[][] dwAt = new float[4][];
            for (int threads : new int[] {1, 2, 3, 2}) {
                Parallel.setThreads(threads);
                float[] y = new float[g.outputSize()];
                float[] dx = new float[g.inputSize()];
                float[] dw = new float[g.weightSize()];
                fast.forward(g, x, w, bias, y);
                fast.backwardInput(g, dy, w, dx);
                fast.backwardWeight(g, x, dy, dw, null);
                // the weight gradient sums per-thread partials: identical from run to run at one thread count
                if (dwAt[threads] != null) {
                    assertThat(dw).as("F(%d) backwardWeight again at %d threads", f.m, threads).isEqualTo(dwAt[threads]);
                }
                dwAt[threads] = dw;
                if (y1 == null) {
                    y1 = y;
                    dx1 = dx;
                } else {
                    // isEqualTo compares with Arrays.equals; containsExactly is quadratic
                    assertThat(y).as("F(%d) forward at %d threads", f.m, threads).isEqualTo(y1);
                    assertThat(dx).as("F(%d) backwardInput at %d threads", f.m, threads).isEqualTo(dx1);
                }
            }
        }
    }

    private static float[] random(Rng rng, int n) {
        return GemmConvKernelsTest.random(rng, n);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
