package dev.vnet.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The layer modules: PyTorch's names, initialisation, train/eval behaviour and batch norm's buffers. */
class ModulesTest {

    @Test
    void namesAndShapesAreThoseOfPyTorch() {
        Rng rng = new Rng(1);
        Sequential s = new Sequential(new Conv2d(3, 8, 5, 1, 2, true, rng), new BatchNorm2d(8), new PReLU(8),
                new ConvTranspose2d(8, 4, 2, 2, 0, 0, true, rng), new ELU(), new Dropout2d(0.2f, rng), new ReLU());
        var state = s.stateDict();
        assertThat(state.keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                "1.running_var", "1.num_batches_tracked", "2.weight", "3.weight", "3.bias");
        assertThat(s.parameters().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias", "2.weight",
                "3.weight", "3.bias");
        assertThat(state.get("0.weight").shape()).containsExactly(8, 3, 5, 5);
        assertThat(state.get("3.weight").shape()).containsExactly(8, 4, 2, 2);
        assertThat(state.get("1.num_batches_tracked").shape()).isEmpty();
        assertThat(s.parameterCount()).isEqualTo(8 * 3 * 25 + 8 + 8 + 8 + 8 + 8 * 4 * 4 + 4);
        Tensor y = s.forward(Tensor.randn(rng, 1f, 2, 3, 6, 6));
        assertThat(y.shape()).containsExactly(2, 4, 12, 12);
    }

    @Test
    void convolutionsStartKaimingNormalWithZeroBias() {
        Conv2d conv = new Conv2d(32, 64, 5, 1, 2, true, new Rng(7));
        double expectedStd = Math.sqrt(2.0 / (32 * 25));
        assertThat(std(conv.weight().data())).isCloseTo(expectedStd, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(conv.bias().data()).containsOnly(0f);
        ConvTranspose2d up = new ConvTranspose2d(64, 32, 2, 2, 0, 0, true, new Rng(7));
        assertThat(std(up.weight().data())).isCloseTo(Math.sqrt(2.0 / (32 * 4)),
                org.assertj.core.data.Percentage.withPercentage(3));
        // The same seed gives the same weights.
        assertThat(new Conv2d(32, 64, 5, 1, 2, true, new Rng(7)).weight().data()).containsExactly(conv.weight().data());
    }

    @Test
    void batchNormModuleKeepsPyTorchsRunningStatistics() {
        TorchFixtures ref = TorchFixtures.load("normalization");
        BatchNorm2d bn = new BatchNorm2d(3);
        for (int i = 0; i < 3; i++) {
            bn.forward(ref.get("module.x" + i));
        }
        ref.assertClose("module.running_mean", bn.runningMean());
        ref.assertClose("module.running_var", bn.runningVar());
        assertThat(bn.numBatchesTracked()).isEqualTo(3);
        ref.assertClose("module.num_batches_tracked", bn.stateDict().get("num_batches_tracked"));
        bn.eval();
        ref.assertClose("module.eval_y", bn.forward(ref.get("module.x0")));
        assertThat(bn.numBatchesTracked()).isEqualTo(3);
    }

    @Test
    void evalModeTurnsDropoutOffForTheWholeTree() {
        Sequential s = new Sequential(new Dropout2d(0.9f, new Rng(3)));
        Tensor x = Tensor.full(1f, 2, 8, 2, 2);
        assertThat(s.forward(x).data()).contains(0f);
        s.eval();
        assertThat(s.get(0).isTraining()).isFalse();
        assertThat(s.forward(x)).isSameAs(x);
    }

    @Test
    void stateDictRoundTripsAndRejectsWrongShapes() {
        Sequential a = new Sequential(new Conv2d(2, 3, 3, 1, 1, true, new Rng(1)), new BatchNorm2d(3));
        Sequential b = new Sequential(new Conv2d(2, 3, 3, 1, 1, true, new Rng(2)), new BatchNorm2d(3));
        a.forward(Tensor.randn(new Rng(3), 1f, 2, 2, 4, 4));
        b.loadStateDict(a.stateDict());
        for (var e : a.stateDict().entrySet()) {
            assertThat(b.stateDict().get(e.getKey()).data()).as(e.getKey()).containsExactly(e.getValue().data());
        }
        Sequential c = new Sequential(new Conv2d(2, 4, 3, 1, 1, true, new Rng(2)), new BatchNorm2d(4));
        assertThatThrownBy(() -> c.loadStateDict(a.stateDict()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0.weight' has shape [3, 2, 3, 3]");
    }

    @Test
    void zeroGradForgetsEveryGradient() {
        Conv2d conv = new Conv2d(1, 2, 3, 1, 1, true, new Rng(1));
        dev.vnet.core.ops.Reductions.sum(conv.forward(Tensor.full(1f, 1, 1, 4, 4))).backward();
        assertThat(conv.weight().grad()).isNotNull();
        conv.zeroGrad();
        assertThat(conv.weight().grad()).isNull();
        assertThat(conv.bias().grad()).isNull();
    }

    private static double std(float[] v) {
        double s = 0, ss = 0;
        for (float f : v) {
            s += f;
            ss += (double) f * f;
        }
        double mean = s / v.length;
        return Math.sqrt(ss / v.length - mean * mean);
    }
}
