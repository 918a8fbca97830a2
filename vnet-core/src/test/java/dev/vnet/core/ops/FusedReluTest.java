package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused ops {@link Activations#reluOfSum} and {@link Normalization#batchNormRelu2d} against the two ops they
 * replace (the same bits, forward and backward) and finite differences.
 */
class FusedReluTest {

    @Test
    void reluOfSumIsReluOfAddBitForBit() {
        assertSameAsUnfused(in -> Activations.reluOfSum(in[0], in[1]),
                in -> Activations.relu(Elementwise.add(in[0], in[1])), false, 3, 4, 5, 6);
    }

    @Test
    void batchNormReluIsReluOfBatchNormBitForBitInBothModes() {
        for (boolean training : new boolean[] {true, false}) {
            Tensor mean = Tensor.zeros(4), var = Tensor.full(1f, 4);
            Tensor mean2 = Tensor.zeros(4), var2 = Tensor.full(1f, 4);
            if (!training) {
                mean = Tensor.uniform(new Rng(9), -0.5f, 0.5f, 4);
                var = Tensor.uniform(new Rng(10), 0.5f, 2f, 4);
                mean2 = Tensor.of(mean.data(), 4);
                var2 = Tensor.of(var.data(), 4);
            }
            Tensor rm = mean, rv = var, rm2 = mean2, rv2 = var2;
            assertSameAsUnfused(
                    in -> Normalization.batchNormRelu2d(in[0], in[1], in[2], rm, rv, training, 0.1f, 1e-5f),
                    in -> Activations.relu(Normalization.batchNorm2d(in[0], in[1], in[2], rm2, rv2, training, 0.1f, 1e-5f)),
                    true, 2, 4, 5, 7);
            assertThat(rm.data()).containsExactly(rm2.data());
            assertThat(rv.data()).containsExactly(rv2.data());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck check = GradCheck.standard();
        Rng rng = new Rng(21);
        check.check("reluOfSum", in -> Activations.reluOfSum(in[0], in[1]), sumAwayFromZero(rng, 2, 3, 3, 3));
        Tensor x = Tensor.randn(new Rng(22), 1.5f, 2, 3, 4, 4).requiresGrad(true);
        Tensor w = Tensor.of(new float[] {0.8f, 1.3f, -0.6f}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0.05f, -0.1f, 0.2f}, 3).requiresGrad(true);
        check.check("batchNormRelu2d", in -> Normalization.batchNormRelu2d(in[0], in[1], in[2], null, null, true, 0.1f,
                1e-5f), x, w, b);
    }

    @Test
    void reluOfSumNamesBothShapesWhenTheyDiffer() {
        assertThatThrownBy(() -> Activations.reluOfSum(Tensor.zeros(2, 3), Tensor.zeros(3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reluOfSum").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
    }

    /**
     * Runs both on copies of the same random inputs ({@code x, y} of {@code shape}, or for batch norm {@code x} and a
     * weight and bias per channel) and compares bits.
     */
    private static void assertSameAsUnfused(Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> unfused,
                                            boolean batchNorm, int... shape) {
        Tensor[] a = inputs(shape, batchNorm, new Rng(5));
        Tensor[] b = inputs(shape, batchNorm, new Rng(5));
        Tensor ya = fused.apply(a);
        Tensor yb = unfused.apply(b);
        assertThat(ya.data()).containsExactly(yb.data());
        float[] dy = Tensor.randn(new Rng(6), 1f, shape).data();
        ya.backward(dy);
        yb.backward(dy);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i].grad()).as("gradient of input %d", i).containsExactly(b[i].grad());
        }
    }

    private static Tensor[] inputs(int[] shape, boolean batchNorm, Rng rng) {
        Tensor x = Tensor.randn(rng, 1f, shape).requiresGrad(true);
        if (!batchNorm) {
            return new Tensor[] {x, Tensor.randn(rng, 1f, shape).requiresGrad(true)};
        }
        return new Tensor[] {x, Tensor.uniform(rng, 0.5f, 1.5f, shape[1]).requiresGrad(true),
            Tensor.uniform(rng, -0.2f, 0.2f, shape[1]).requiresGrad(true)};
    }

    /** Two inputs whose sum stays away from 0, where ReLU has no derivative. */
    private static Tensor[] sumAwayFromZero(Rng rng, int... shape) {
        Tensor a = Tensor.randn(rng, 1f, shape);
        Tensor b = Tensor.randn(rng, 1f, shape);
        float[] av = a.data(), bv = b.data();
        for (int i = 0; i < av.length; i++) {
            float s = av[i] + bv[i];
            if (Math.abs(s) < 0.1f) {
                av[i] += s >= 0 ? 0.2f : -0.2f;
            }
        }
        return new Tensor[] {a.requiresGrad(true), b.requiresGrad(true)};
    }
}
