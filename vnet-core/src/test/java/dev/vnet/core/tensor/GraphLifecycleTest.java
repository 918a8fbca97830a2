package dev.vnet.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.ConvTranspose2d;
import dev.vnet.core.nn.Dropout2d;
import dev.vnet.core.nn.ReLU;
import dev.vnet.core.nn.Sequential;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.ops.Reductions;
import dev.vnet.core.optim.Adam;
import org.junit.jupiter.api.Test;

/** When a graph is recorded, that backward frees it, that inference records nothing, and reproducibility. */
class GraphLifecycleTest {

    @Test
    void backwardFreesTheGraph() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 2, 3).requiresGrad(true);
        Tensor h = Activations.sigmoid(x);
        Tensor y = Elementwise.mul(h, h);
        Tensor loss = Reductions.sum(y);
        assertThat(loss.inputs()).containsExactly(y);
        assertThat(y.inputs()).containsExactly(h, h);
        loss.backward();
        assertThat(x.grad()).isNotNull();
        // Every intermediate result dropped its inputs, closure and gradient: nothing keeps the graph alive.
        for (Tensor t : new Tensor[] {loss, y, h}) {
            assertThat(t.inputs()).isEmpty();
            assertThat(t.grad()).isNull();
            assertThat(t.requiresGrad()).isFalse();
        }
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("records no graph").hasMessageContaining("sum");
    }

    @Test
    void noGradRecordsNothing() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, new Rng(1)), new BatchNorm2d(2), new ReLU());
        Tensor x = Tensor.randn(new Rng(2), 1f, 1, 1, 4, 4).requiresGrad(true);
        Tensor y;
        try (var ignored = GradMode.noGrad()) {
            assertThat(GradMode.isEnabled()).isFalse();
            y = net.forward(x);
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.inputs()).isEmpty();
        assertThat(y.op()).isNull();
    }

    @Test
    void backwardThroughAnInferenceResultIsAnError() {
        Tensor w = Tensor.randn(new Rng(3), 1f, 4).requiresGrad(true);
        Tensor loss;
        try (var ignored = GradMode.noGrad()) {
            loss = Reductions.sum(Activations.relu(w));
        }
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward() on a tensor that records no graph")
                .hasMessageContaining("inference mode");
    }

    @Test
    void theSameSeedGivesBitIdenticalTrainingSteps() {
        float[][] first = trainThreeSteps(2024);
        float[][] second = trainThreeSteps(2024);
        for (int i = 0; i < first.length; i++) {
            assertThat(second[i]).containsExactly(first[i]);
        }
        float[][] other = trainThreeSteps(2025);
        assertThat(other[0]).isNotEqualTo(first[0]);
    }

    /** Three Adam steps of a small encoder-decoder with dropout; returns the loss values and final weights. */
    private static float[][] trainThreeSteps(long seed) {
        Rng rng = new Rng(seed);
        Sequential net = new Sequential(new Conv2d(1, 4, 3, 1, 1, true, rng), new BatchNorm2d(4), new ReLU(),
                new Dropout2d(0.3f, rng.split()), new Conv2d(4, 4, 2, 2, 0, true, rng),
                new ConvTranspose2d(4, 1, 2, 2, 0, 0, true, rng));
        Adam adam = new Adam(net.parameters(), 1e-2);
        Tensor x = Tensor.randn(rng, 1f, 2, 1, 8, 8);
        Tensor target = Tensor.zeros(2, 1, 8, 8);
        for (int i = 0; i < target.size(); i += 3) {
            target.data()[i] = 1f;
        }
        float[] losses = new float[3];
        for (int step = 0; step < 3; step++) {
            adam.zeroGrad();
            Tensor loss = new DiceBceLoss().forward(net.forward(x), target);
            losses[step] = loss.item();
            loss.backward();
            adam.step();
        }
        return new float[][] {losses, net.parameters().get("0.weight").data().clone(),
                net.stateDict().get("1.running_var").data().clone()};
    }
}
