package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.parallel.WorkerPool;
import org.junit.jupiter.api.Test;

/** Max, average and global average pooling against PyTorch, by finite differences, and at their edge cases. */
class PoolingTest {
    private static final TorchFixtures REF = TorchFixtures.load("pooling");

    private static void assertMaxPoolMatches(String tag, int kernel, int stride, int padding) {
        Tensor x = REF.leaf(tag + ".x");
        Tensor y = Pooling.maxPool2d(x, kernel, stride, padding);
        y.backward(REF.get(tag + ".dy").data());
        REF.assertClose(tag + ".y", y);
        REF.assertClose(tag + ".dx", x.grad());
    }

    @Test
    void maxPoolMatchesPyTorch() {
        assertMaxPoolMatches("m1", 2, 2, 0);
        assertMaxPoolMatches("m2", 3, 2, 1);
        assertMaxPoolMatches("m3", 3, 1, 1);
        assertMaxPoolMatches("m4", 5, 3, 2);
    }

    @Test
    void tiedMaximaSendTheGradientWherePyTorchSendsIt() {
        assertMaxPoolMatches("tie1", 2, 2, 0);
        assertMaxPoolMatches("tie2", 3, 1, 1);
        assertMaxPoolMatches("tie3", 3, 2, 1);
        // The first maximum in row-major order takes it all, the others nothing.
        Tensor x = Tensor.of(new float[] {1, 5, 5, 2}, 1, 1, 2, 2).requiresGrad(true);
        Pooling.maxPool2d(x, 2, 2, 0).backward(new float[] {3f});
        assertThat(x.grad()).containsExactly(0f, 3f, 0f, 0f);
    }

    @Test
    void maxPoolPaddingIsMinusInfinityNotZero() {
        assertMaxPoolMatches("neg", 3, 2, 1);
        Tensor y = Pooling.maxPool2d(Tensor.full(-2f, 1, 1, 3, 3), 3, 2, 1);
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        assertThat(y.data()).containsOnly(-2f);
    }

    @Test
    void maxPoolPropagatesNaNAsPyTorchDoes() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 7, 2}, 1, 1, 2, 2).requiresGrad(true);
        Tensor y = Pooling.maxPool2d(x, 2, 2, 0);
        assertThat(y.data()[0]).isNaN();
        y.backward(new float[] {1f});
        assertThat(x.grad()).containsExactly(0f, 1f, 0f, 0f);
    }

    @Test
    void averagePoolsMatchPyTorch() {
        int[][] cases = {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}};
        for (int i = 0; i < cases.length; i++) {
            String tag = "a" + (i + 1);
            Tensor x = REF.leaf(tag + ".x");
            Tensor y = Pooling.avgPool2d(x, cases[i][0], cases[i][1], cases[i][2]);
            y.backward(REF.get(tag + ".dy").data());
            REF.assertClose(tag + ".y", y);
            REF.assertClose(tag + ".dx", x.grad());
        }
        Tensor x = REF.leaf("gap.x");
        Tensor y = Pooling.globalAvgPool2d(x);
        y.backward(REF.get("gap.dy").data());
        REF.assertClose("gap.y", y);
        REF.assertClose("gap.dx", x.grad());
    }

    /** Distinct values at least 0.1 apart, so a step of 0.01 never changes which value is a window's maximum. */
    private static Tensor separated(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        Rng rng = new Rng(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f * i - 0.05f * v.length;
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float swap = v[i];
            v[i] = v[j];
            v[j] = swap;
        }
        return t.requiresGrad(true);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.standard().check("maxPool2d 3/2/1", in -> Pooling.maxPool2d(in[0], 3, 2, 1), separated(1, 2, 2, 7, 6));
        GradCheck.standard().check("maxPool2d 2/1/1", in -> Pooling.maxPool2d(in[0], 2, 1, 1), separated(2, 1, 3, 5, 5));
        GradCheck.standard().check("avgPool2d 3/2/1", in -> Pooling.avgPool2d(in[0], 3, 2, 1),
                Tensor.randn(new Rng(3), 1f, 2, 2, 7, 6).requiresGrad(true));
        GradCheck.standard().check("globalAvgPool2d", in -> Pooling.globalAvgPool2d(in[0]),
                Tensor.randn(new Rng(4), 1f, 2, 3, 4, 5).requiresGrad(true));
    }

    @Test
    void theThreadCountDoesNotChangeABit() {
        Tensor x = Tensor.randn(new Rng(6), 1f, 3, 5, 9, 8);
        float[] dy = Tensor.randn(new Rng(7), 1f, 3, 5, 5, 4).data();
        java.util.List<float[]> results = new java.util.ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = WorkerPool.of(threads)) {
                pool.run(() -> {
                    for (int op = 0; op < 2; op++) {
                        Tensor in = Tensor.of(x.data(), x.shape()).requiresGrad(true);
                        Tensor y = op == 0 ? Pooling.maxPool2d(in, 3, 2, 1) : Pooling.avgPool2d(in, 3, 2, 1);
                        y.backward(dy);
                        results.add(y.data());
                        results.add(in.grad());
                    }
                });
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(results.get(4 + i)).as("result %d with 3 threads", i).containsExactly(results.get(i));
        }
    }

    @Test
    void outputSizesRoundDownAsPyTorchDoes() {
        Tensor x = Tensor.zeros(1, 2, 7, 5);
        assertThat(Pooling.maxPool2d(x, 2, 2, 0).shape()).containsExactly(1, 2, 3, 2);
        assertThat(Pooling.avgPool2d(x, 3, 2, 1).shape()).containsExactly(1, 2, 4, 3);
        assertThat(Pooling.maxPool2d(x, 5, 1, 0).shape()).containsExactly(1, 2, 3, 1);
        assertThat(Pooling.globalAvgPool2d(x).shape()).containsExactly(1, 2);
    }

    @Test
    void badWindowsAreRejectedWithTheirValues() {
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        assertThatThrownBy(() -> Pooling.maxPool2d(x, 2, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPool2d").hasMessageContaining("padding 2").hasMessageContaining("kernel 2");
        assertThatThrownBy(() -> Pooling.avgPool2d(x, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("avgPool2d").hasMessageContaining("kernel 0");
        assertThatThrownBy(() -> Pooling.maxPool2d(x, 5, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 1, 4, 4]");
        assertThatThrownBy(() -> Pooling.globalAvgPool2d(Tensor.zeros(2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globalAvgPool2d").hasMessageContaining("[2, 3]");
    }
}
