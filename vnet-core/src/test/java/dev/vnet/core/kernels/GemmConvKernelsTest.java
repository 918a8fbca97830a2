package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holds the BLAS convolution to the reference loops on random inputs over many geometries. */
class GemmConvKernelsTest {

    private static final double REL_TOL = 1e-4;
    private final ConvKernels fast = GemmConvKernels.instance();
    private final ConvKernels ref = NaiveConvKernels.INSTANCE;
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** Geometries: odd sizes, kernels 1/2/3/5, strides 1/2, paddings 0/1/2, batch 1-3, channel counts 1-7. */
    static Stream<ConvGeometry> geometries() {
        List<ConvGeometry> list = new ArrayList<>();
        // n, c, h, w, k, r, s, sh, sw, ph, pw
        list.add(new ConvGeometry(1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0));
        list.add(new ConvGeometry(2, 3, 7, 9, 4, 1, 1, 1, 1, 0, 0));
        list.add(new ConvGeometry(3, 5, 9, 7, 2, 3, 3, 1, 1, 1, 1));
        list.add(new ConvGeometry(2, 4, 11, 13, 6, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(1, 2, 6, 8, 3, 5, 5, 1, 1, 0, 0));
        list.add(new ConvGeometry(2, 3, 8, 10, 5, 2, 2, 2, 2, 0, 0));
        list.add(new ConvGeometry(3, 2, 9, 11, 3, 2, 2, 2, 2, 0, 0));
        list.add(new ConvGeometry(2, 3, 9, 9, 4, 3, 3, 2, 2, 1, 1));
        list.add(new ConvGeometry(1, 7, 10, 7, 2, 5, 5, 2, 2, 2, 2));
        list.add(new ConvGeometry(2, 2, 7, 8, 3, 3, 1, 1, 2, 1, 0));
        list.add(new ConvGeometry(1, 3, 4, 5, 2, 3, 3, 1, 1, 2, 2)); // padding larger than kernel - 1
        list.add(new ConvGeometry(2, 6, 6, 6, 7, 1, 1, 2, 2, 0, 0));
        list.add(new ConvGeometry(1, 1, 3, 3, 1, 3, 3, 1, 1, 0, 0));
        // large enough that an image is cut into several tiles (see GemmConvKernels.tileRows)
        list.add(new ConvGeometry(1, 16, 33, 60, 3, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(2, 64, 80, 82, 2, 2, 2, 2, 2, 0, 0));
        list.add(new ConvGeometry(1, 32, 61, 61, 2, 3, 3, 2, 2, 1, 1));
        // stride 1 with 8 channels or more: shifted products (output width >= 48) and folded ones (narrower)
        list.add(new ConvGeometry(2, 8, 9, 11, 5, 3, 3, 1, 1, 1, 1));
        list.add(new ConvGeometry(2, 8, 10, 7, 9, 5, 3, 1, 1, 2, 1));
        list.add(new ConvGeometry(1, 9, 7, 50, 4, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(2, 12, 6, 52, 8, 3, 3, 1, 1, 0, 0));
        list.add(new ConvGeometry(1, 10, 8, 49, 6, 3, 5, 1, 1, 1, 2));
        list.add(new ConvGeometry(2, 8, 5, 50, 3, 1, 1, 1, 1, 0, 0));
        list.add(new ConvGeometry(1, 8, 6, 6, 3, 1, 1, 1, 1, 0, 0));
        list.add(new ConvGeometry(1, 8, 4, 5, 9, 3, 3, 1, 1, 2, 2)); // padding larger than kernel - 1
        // several tiles per image in each plan, and a product too large for OpenBLAS's unpacked kernel
        list.add(new ConvGeometry(2, 32, 40, 60, 32, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(1, 48, 40, 20, 40, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(1, 128, 12, 48, 160, 3, 3, 1, 1, 1, 1));
        // few output channels (offsets plan), several tiles per image, as the V-Net's 32 -> 1 convolution
        list.add(new ConvGeometry(2, 8, 170, 60, 2, 5, 5, 1, 1, 2, 2));
        list.add(new ConvGeometry(1, 12, 90, 40, 1, 3, 5, 1, 1, 1, 2));
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode());
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        for (float[] bias : new float[][] {null, random(rng, g.k())}) {
            float[] expected = new float[g.outputSize()];
            float[] actual = filled(g.outputSize(), Float.NaN); // forward overwrites
            ref.forward(g, x, w, bias, expected);
            fast.forward(g, x, w, bias, actual);
            assertClose(actual, expected, "forward " + g);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardAccumulateAddsLikeReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 3);
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        float[] start = random(rng, g.outputSize());
        float[] expected = start.clone();
        float[] actual = start.clone();
        ref.forwardAccumulate(g, x, w, expected);
        fast.forwardAccumulate(g, x, w, actual);
        assertClose(actual, expected, "forwardAccumulate " + g);
        float[] alone = new float[g.outputSize()];
        ref.forward(g, x, w, null, alone);
        for (int i = 0; i < alone.length; i++) {
            alone[i] += start[i];
        }
        assertThat(expected).containsExactly(alone);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardInputAccumulatesLikeReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 1);
        float[] dy = random(rng, g.outputSize());
        float[] w = random(rng, g.weightSize());
        float[] start = random(rng, g.inputSize());
        float[] expected = start.clone();
        float[] actual = start.clone();
        ref.backwardInput(g, dy, w, expected);
        fast.backwardInput(g, dy, w, actual);
        assertClose(actual, expected, "backwardInput " + g);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void backwardWeightAccumulatesLikeReference(ConvGeometry g) {
        Rng rng = new Rng(g.hashCode() + 2);
        float[] x = random(rng, g.inputSize());
        float[] dy = random(rng, g.outputSize());
        float[] dwStart = random(rng, g.weightSize());
        float[] dbStart = random(rng, g.k());
        float[] dwExpected = dwStart.clone(), dbExpected = dbStart.clone();
        float[] dwActual = dwStart.clone(), dbActual = dbStart.clone();
        ref.backwardWeight(g, x, dy, dwExpected, dbExpected);
        fast.backwardWeight(g, x, dy, dwActual, dbActual);
        assertClose(dwActual, dwExpected, "backwardWeight dw " + g);
        assertClose(dbActual, dbExpected, "backwardWeight dbias " + g);

        float[] dwNoBias = dwStart.clone();
        fast.backwardWeight(g, x, dy, dwNoBias, null);
        assertThat(dwNoBias).containsExactly(dwActual);
    }

    @Test
    void testGeometriesReallyCoverSeveralTiles() {
        // stride 1: flat tiles of the padded rows; others: whole output rows
        assertThat(Im2colConv.tileColumns(32 * 64 + 60, 64, true, 3, 16 * 25)).isLessThan(32 * 64 + 60);
        assertThat(Im2colConv.tileColumns(40 * 41, 41, false, 2, 64 * 4)).isLessThan(40 * 41);
        assertThat(Im2colConv.tileColumns(31 * 31, 31, false, 2, 32 * 9)).isLessThan(31 * 31);
        assertThat(Im2colConv.tileColumns(31 * 31, 31, false, 2, 32 * 9) % 31).isZero();
    }

    @Test
    void planTestGeometriesCoverBothPlansAndSeveralTiles() {
        ShiftedPlan shifted = ShiftedPlan.of(new ConvGeometry(2, 32, 40, 60, 32, 5, 5, 1, 1, 2, 2), false);
        assertThat(shifted.folded()).isFalse();
        assertThat(shifted.tilesPerImage()).isGreaterThan(1);
        ShiftedPlan folded = ShiftedPlan.of(new ConvGeometry(1, 48, 40, 20, 40, 5, 5, 1, 1, 2, 2), false);
        assertThat(folded.folded()).isTrue();
        assertThat(folded.tilesPerImage()).isGreaterThan(1);
        assertThat(ShiftedPlan.of(new ConvGeometry(1, 48, 40, 20, 40, 5, 5, 1, 1, 2, 2), true).tilesPerImage())
                .isGreaterThan(1);
        ShiftedPlan large = ShiftedPlan.of(new ConvGeometry(1, 128, 12, 48, 160, 3, 3, 1, 1, 1, 1), false);
        assertThat(large.folded()).isFalse();
        assertThat(large.tilesPerImage()).isGreaterThan(1);
        ConvGeometry fewOutputs = new ConvGeometry(2, 8, 170, 60, 2, 5, 5, 1, 1, 2, 2);
        assertThat(OffsetPlan.applies(fewOutputs)).isTrue();
        assertThat(OffsetPlan.of(fewOutputs).tiles()).isGreaterThan(1);
        assertThat(OffsetPlan.applies(new ConvGeometry(2, 32, 40, 60, 32, 5, 5, 1, 1, 2, 2))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("threadGeometries")
    void forwardAndBackwardInputDoNotDependOnTheThreadCount(ConvGeometry g) {
        Rng rng = new Rng(7);
        float[] x = random(rng, g.inputSize());
        float[] w = random(rng, g.weightSize());
        float[] dy = random(rng, g.outputSize());
        Parallel.setThreads(1);
        float[] y1 = new float[g.outputSize()];
        float[] dx1 = new float[g.inputSize()];
        fast.forward(g, x, w, null, y1);
        fast.backwardInput(g, dy, w, dx1);
        Parallel.setThreads(3);
        float[] y3 = new float[g.outputSize()];
        float[] dx3 = new float[g.inputSize()];
        fast.forward(g, x, w, null, y3);
        fast.backwardInput(g, dy, w, dx3);
        assertThat(y3).containsExactly(y1);
        assertThat(dx3).containsExactly(dx1);
    }

    /** One geometry per path: folded, shifted, im2col at stride 1 (few channels), stride 2. */
    static Stream<ConvGeometry> threadGeometries() {
        return Stream.of(new ConvGeometry(3, 16, 40, 37, 5, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(3, 16, 30, 60, 16, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(3, 4, 30, 60, 16, 5, 5, 1, 1, 2, 2),
                new ConvGeometry(3, 8, 30, 30, 16, 2, 2, 2, 2, 0, 0),
                new ConvGeometry(2, 8, 170, 60, 2, 5, 5, 1, 1, 2, 2));
    }

    @ParameterizedTest
    @MethodSource("threadGeometries")
    void backwardWeightIsRepeatableForAThreadCount(ConvGeometry g) {
        Rng rng = new Rng(8);
        float[] x = random(rng, g.inputSize());
        float[] dy = random(rng, g.outputSize());
        Parallel.setThreads(2);
        float[] first = new float[g.weightSize()];
        float[] second = new float[g.weightSize()];
        fast.backwardWeight(g, x, dy, first, null);
        fast.backwardWeight(g, x, dy, second, null);
        assertThat(second).containsExactly(first);
    }

    @Test
    void scratchGrowsAndShrinkingProblemsStayCorrect() {
        // a large call followed by a small one: stale data in the larger reused buffers must not leak in
        ConvGeometry big = new ConvGeometry(2, 8, 30, 30, 8, 5, 5, 1, 1, 2, 2);
        ConvGeometry small = new ConvGeometry(1, 2, 5, 6, 3, 5, 5, 1, 1, 2, 2);
        Rng rng = new Rng(9);
        fast.forward(big, random(rng, big.inputSize()), random(rng, big.weightSize()), null, new float[big.outputSize()]);
        float[] x = random(rng, small.inputSize());
        float[] w = random(rng, small.weightSize());
        float[] expected = new float[small.outputSize()];
        float[] actual = new float[small.outputSize()];
        ref.forward(small, x, w, null, expected);
        fast.forward(small, x, w, null, actual);
        assertClose(actual, expected, "forward after a larger call");
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertClose(actual, expected, REL_TOL, 1.0, what);
    }

    /** Every element within {@code relTol} of the largest expected magnitude (or of {@code floor} if larger). */
    static void assertClose(float[] actual, float[] expected, double relTol, double floor, String what) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tol = relTol * Math.max(scale, floor);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
