package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batch norm in training and evaluation mode against PyTorch, including the running statistics. */
class NormalizationTest {
    private static final TorchFixtures REF = TorchFixtures.load("normalization");

    @Test
    void trainingModeMatchesPyTorchAndUpdatesRunningStatsWithUnbiasedVariance() {
        Tensor x = REF.leaf("x"), w = REF.leaf("w"), b = REF.leaf("b");
        Tensor rm = REF.get("rm"), rv = REF.get("rv");
        Tensor y = Normalization.batchNorm2d(x, w, b, rm, rv, true, 0.1f, 1e-5f);
        y.backward(REF.get("dy").data());
        REF.assertClose("train.y", y);
        REF.assertClose("train.dx", x.grad());
        REF.assertClose("train.dw", w.grad());
        REF.assertClose("train.db", b.grad());
        REF.assertClose("train.rm", rm);
        REF.assertClose("train.rv", rv);
    }

    @Test
    void evalModeUsesRunningStatsAndMatchesPyTorch() {
        Tensor x = REF.leaf("x"), w = REF.leaf("w"), b = REF.leaf("b");
        Tensor rm = REF.get("train.rm"), rv = REF.get("train.rv");
        float[] rmBefore = rm.data().clone();
        Tensor y = Normalization.batchNorm2d(x, w, b, rm, rv, false, 0.1f, 1e-5f);
        y.backward(REF.get("dy").data());
        REF.assertClose("eval.y", y);
        REF.assertClose("eval.dx", x.grad());
        REF.assertClose("eval.dw", w.grad());
        REF.assertClose("eval.db", b.grad());
        assertThat(rm.data()).containsExactly(rmBefore);
    }

    @Test
    void twoValuesPerChannelWithoutAffineMatchPyTorch() {
        Tensor x = REF.leaf("small.x");
        Tensor rm = Tensor.zeros(2), rv = Tensor.full(1f, 2);
        Tensor y = Normalization.batchNorm2d(x, null, null, rm, rv, true, 0.1f, 1e-5f);
        y.backward(REF.get("small.dy").data());
        REF.assertClose("small.y", y);
        // With two values per channel the output is ±1 whatever x is, so the true dx is only the ~1e-7 left
        // by eps: compare it absolutely, against the scale of dy (~1), not relatively.
        float[] expected = REF.get("small.dx").data();
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(x.grad()[i] - expected[i])).as("small.dx[%d]", i).isLessThan(1e-6f);
        }
        REF.assertClose("small.rm", rm);
        REF.assertClose("small.rv", rv);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(21);
        GradCheck check = GradCheck.of(1e-2, 2e-2);
        Tensor x = Tensor.randn(rng, 1.5f, 2, 3, 3, 2).requiresGrad(true);
        Tensor w = Tensor.of(new float[] {0.8f, -1.2f, 1.5f}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0.1f, 0.2f, -0.3f}, 3).requiresGrad(true);
        check.check("batchNorm2d training", in -> Normalization.batchNorm2d(in[0], in[1], in[2], null, null, true, 0.1f, 1e-5f),
                x, w, b);
        Tensor rm = Tensor.of(new float[] {0.5f, -0.2f, 0.1f}, 3), rv = Tensor.of(new float[] {1.5f, 0.7f, 2f}, 3);
        check.check("batchNorm2d eval", in -> Normalization.batchNorm2d(in[0], in[1], in[2], rm, rv, false, 0.1f, 1e-5f),
                x, w, b);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int before = Parallel.threads();
        try {
            float[][] ys = new float[2][];
            float[][] dxs = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                Tensor x = Tensor.randn(new Rng(5), 2f, 3, 8, 9, 7).requiresGrad(true);
                Tensor y = Normalization.batchNorm2d(x, null, null, Tensor.zeros(8), Tensor.full(1f, 8), true, 0.1f, 1e-5f);
                y.backward(Tensor.randn(new Rng(6), 1f, 3, 8, 9, 7).data());
                ys[t - 1] = y.data();
                dxs[t - 1] = x.grad();
            }
            assertThat(ys[1]).containsExactly(ys[0]);
            assertThat(dxs[1]).containsExactly(dxs[0]);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void badShapesAndSingleValueBatchesAreRejected() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        assertThatThrownBy(() -> Normalization.batchNorm2d(x, Tensor.zeros(4), null, null, null, true, 0.1f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchNorm2d").hasMessageContaining("weight").hasMessageContaining("[4]")
                .hasMessageContaining("[2, 3, 4, 4]");
        assertThatThrownBy(() -> Normalization.batchNorm2d(Tensor.zeros(1, 3, 1, 1), null, null, null, null, true, 0.1f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one value per channel");
        assertThatThrownBy(() -> Normalization.batchNorm2d(x, null, null, null, null, false, 0.1f, 1e-5f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("running_mean");
    }
}
