package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmConvKernels#forwardInference} keeps the Winograd weight transform between calls: its results must be
 * those of a fresh transform of the values the weights hold at every call, whatever was written into them since.
 */
class KeptWeightTransformsTest {

    private static final double REL_TOL = 2e-5;
    private final GemmConvKernels fast = GemmConvKernels.instance();
    private final ConvKernels ref = NaiveConvKernels.INSTANCE;
    private final int threadsBefore = Parallel.threads();

    /** 4096 output positions at 32 channels: the Winograd plan with and without a kept transform. */
    private static final ConvGeometry WIDE = new ConvGeometry(1, 32, 64, 64, 32, 5, 5, 1, 1, 2, 2);
    /** 1024 positions: the plan only with a kept transform, the shifted plans otherwise. */
    private static final ConvGeometry SMALL = new ConvGeometry(4, 64, 16, 16, 48, 5, 5, 1, 1, 2, 2);

    @BeforeEach
    void keepUpTo256Megabytes() {
        KeptWeightTransforms.clear();
        Kernels.keepWeightTransforms(256);
    }

    @AfterEach
    void restore() {
        Kernels.keepWeightTransforms(0);
        Parallel.setThreads(threadsBefore);
        System.clearProperty(KeptWeightTransforms.PROPERTY);
        System.clearProperty(WinogradPlan.PROPERTY);
    }

    @Test
    void keptTransformGivesTheForwardsBitsCallAfterCall() {
        Rng rng = new Rng(3);
        float[] x = GemmConvKernelsTest.random(rng, WIDE.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, WIDE.weightSize());
        float[] bias = GemmConvKernelsTest.random(rng, WIDE.k());
        float[] expected = new float[WIDE.outputSize()];
        fast.forward(WIDE, x, w, bias, expected);
        for (int call = 0; call < 3; call++) {
            float[] actual = new float[WIDE.outputSize()];
            fast.forwardInference(WIDE, x, w, bias, actual);
            assertThat(actual).as("call %d", call).containsExactly(expected);
            assertThat(KeptWeightTransforms.bytes()).as("kept after call %d", call)
                    .isEqualTo(4L * WIDE.k() * WIDE.c() * (64 + 25));
        }
    }

    @Test
    void aWriteIntoTheWeightsIsSeenAtTheNextCall() {
        Rng rng = new Rng(4);
        float[] x = GemmConvKernelsTest.random(rng, WIDE.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, WIDE.weightSize());
        float[] first = new float[WIDE.outputSize()];
        fast.forwardInference(WIDE, x, w, null, first);
        // one weight of the last filter, as an optimiser's step or a loaded checkpoint would write it
        w[w.length - 7] += 0.25f;
        float[] expected = new float[WIDE.outputSize()];
        ref.forward(WIDE, x, w, null, expected);
        float[] actual = new float[WIDE.outputSize()];
        fast.forwardInference(WIDE, x, w, null, actual);
        GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, "after the write");
        assertThat(actual).isNotEqualTo(first);
        float[] fresh = new float[WIDE.outputSize()];
        fast.forward(WIDE, x, w, null, fresh);
        assertThat(actual).containsExactly(fresh);
    }

    @Test
    void fewerPositionsTakeThePlanWithAKeptTransformAndMatchTheReference() {
        assertThat(WinogradPlan.applies(SMALL)).isFalse();
        assertThat(WinogradPlan.appliesKept(SMALL)).isTrue();
        Rng rng = new Rng(5);
        float[] x = GemmConvKernelsTest.random(rng, SMALL.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, SMALL.weightSize());
        float[] bias = GemmConvKernelsTest.random(rng, SMALL.k());
        float[] expected = new float[SMALL.outputSize()];
        ref.forward(SMALL, x, w, bias, expected);
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            float[] actual = new float[SMALL.outputSize()];
            fast.forwardInference(SMALL, x, w, bias, actual);
            GemmConvKernelsTest.assertClose(actual, expected, REL_TOL, 0, threads + " threads");
        }
        assertThat(KeptWeightTransforms.bytes()).isPositive();
    }

    @Test
    void aTrainingForwardOnTheSameWeightsLetsTheTransformGo() {
        Rng rng = new Rng(6);
        float[] x = GemmConvKernelsTest.random(rng, WIDE.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, WIDE.weightSize());
        float[] y = new float[WIDE.outputSize()];
        fast.forwardInference(WIDE, x, w, null, y);
        assertThat(KeptWeightTransforms.bytes()).isPositive();
        fast.forward(WIDE, x, w, null, y);
        assertThat(KeptWeightTransforms.bytes()).isZero();
    }

    @Test
    void theCapBoundsWhatIsKeptAndTheResultsStayRight() {
        System.setProperty(KeptWeightTransforms.PROPERTY, "0");
        Rng rng = new Rng(7);
        float[] x = GemmConvKernelsTest.random(rng, SMALL.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, SMALL.weightSize());
        float[] expected = new float[SMALL.outputSize()];
        fast.forward(SMALL, x, w, null, expected);
        float[] actual = new float[SMALL.outputSize()];
        fast.forwardInference(SMALL, x, w, null, actual);
        // nothing kept: the shifted plans, as the training forward, bit for bit
        assertThat(actual).containsExactly(expected);
        assertThat(KeptWeightTransforms.bytes()).isZero();

        System.setProperty(KeptWeightTransforms.PROPERTY, "lots");
        assertThatThrownBy(() -> fast.forwardInference(SMALL, x, w, null, actual))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KeptWeightTransforms.PROPERTY).hasMessageContaining("'lots'");
    }

    @Test
    void threadsSharingOneModelKeepOneTransformAndAllGetItsResult() throws Exception {
        Rng rng = new Rng(8);
        float[] x = GemmConvKernelsTest.random(rng, WIDE.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, WIDE.weightSize());
        float[] expected = new float[WIDE.outputSize()];
        fast.forward(WIDE, x, w.clone(), null, expected);
        Parallel.setThreads(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    float[] y = new float[WIDE.outputSize()];
                    fast.forwardInference(WIDE, x, w, null, y);
                    return y;
                }));
            }
            for (java.util.concurrent.Future<float[]> r : results) {
                assertThat(r.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(KeptWeightTransforms.bytes()).isEqualTo(4L * WIDE.k() * WIDE.c() * (64 + 25));
    }

    @Test
    void nothingIsKeptUnlessAskedAndThePropertyWins() {
        Kernels.keepWeightTransforms(0);
        Rng rng = new Rng(9);
        float[] x = GemmConvKernelsTest.random(rng, WIDE.inputSize());
        float[] w = GemmConvKernelsTest.random(rng, WIDE.weightSize());
        float[] y = new float[WIDE.outputSize()];
        fast.forwardInference(WIDE, x, w, null, y);
        assertThat(KeptWeightTransforms.bytes()).isZero();
        System.setProperty(KeptWeightTransforms.PROPERTY, "64");
        fast.forwardInference(WIDE, x, w, null, y);
        assertThat(KeptWeightTransforms.bytes()).isPositive();
        assertThatThrownBy(() -> Kernels.keepWeightTransforms(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void theWinogradSwitchTurnsKeptTransformsOffToo() {
        System.setProperty(WinogradPlan.PROPERTY, "false");
        assertThat(WinogradPlan.appliesKept(SMALL)).isFalse();
        assertThat(WinogradPlan.appliesKept(WIDE)).isFalse();
    }
}
