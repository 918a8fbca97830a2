package dev.vnet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Softmax cross-entropy against {@code F.cross_entropy} with and without class weights and label smoothing, by
 * finite differences, and its errors; softmax against {@code torch.softmax}.
 */
class CrossEntropyLossTest {
    private static final TorchFixtures REF = TorchFixtures.load("cross_entropy");

    private static void assertMatches(String tag) {
        float[] weights = REF.has(tag + ".w") ? REF.get(tag + ".w").data() : null;
        float eps = REF.has(tag + ".eps") ? REF.get(tag + ".eps").item() : 0.25f;
        Tensor z = REF.leaf(tag + ".z");
        Tensor loss = new CrossEntropyLoss(weights, eps).forward(z, REF.ints(tag + ".t"));
        assertThat(loss.shape()).isEmpty();
        loss.backward();
        REF.assertClose(tag + ".y", loss);
        REF.assertClose(tag + ".dz", z.grad());
    }

    @Test
    void matchesPyTorchWithWeightsAndLabelSmoothing() {
        for (String tag : new String[] {"plain", "weighted", "smooth", "both", "binary"}) {
            assertMatches(tag);
        }
    }

    @Test
    void logitsHundredsApartStayFinite() {
        assertMatches("far");
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] targets = {2, 0, 1, 2, 1};
        CrossEntropyLoss loss = new CrossEntropyLoss(new float[] {0.7f, 1.9f, 1.2f}, 0.15f);
        GradCheck.standard().check("crossEntropy", in -> loss.forward(in[0], targets),
                Tensor.randn(new Rng(8), 1.5f, 5, 3).requiresGrad(true));
        GradCheck.standard().check("softmax", in -> CrossEntropyLoss.softmax(in[0]),
                Tensor.randn(new Rng(9), 1.5f, 3, 4).requiresGrad(true));
    }

    @Test
    void softmaxMatchesPyTorch() {
        Tensor z = REF.leaf("softmax.z");
        Tensor p = CrossEntropyLoss.softmax(z);
        p.backward(REF.get("softmax.dy").data());
        REF.assertClose("softmax.y", p);
        REF.assertClose("softmax.dz", z.grad());
        float[] v = CrossEntropyLoss.softmax(Tensor.of(new float[] {1000f, 0f, -1000f}, 1, 3)).data();
        assertThat(v).containsExactly(1f, 0f, 0f);
    }

    @Test
    void badTargetsWeightsAndNonFiniteLogitsAreNamed() {
        CrossEntropyLoss plain = new CrossEntropyLoss(null, 0f);
        Tensor z = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> plain.forward(z, new int[] {0, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 1 is 3").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> plain.forward(z, new int[] {0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 samples").hasMessageContaining("1 targets");
        assertThatThrownBy(() -> new CrossEntropyLoss(new float[] {1f, 2f}, 0f).forward(z, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 classes").hasMessageContaining("2 class weights");
        assertThatThrownBy(() -> new CrossEntropyLoss(new float[] {1f, -2f}, 0f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classWeights[1]").hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new CrossEntropyLoss(null, 1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labelSmoothing").hasMessageContaining("1.5");
        Tensor nan = Tensor.of(new float[] {0f, Float.NaN, 1f, 2f}, 2, 2);
        assertThatThrownBy(() -> plain.forward(nan, new int[] {0, 1})).isInstanceOf(NonFiniteLossException.class)
                .hasMessageContaining("NaN at index 1");
        // Every sample's class weighs 0: PyTorch returns NaN (0/0), here it is an error naming the cause.
        assertThatThrownBy(() -> new CrossEntropyLoss(new float[] {0f, 1f}, 0f).forward(Tensor.zeros(2, 2), new int[] {0, 0}))
                .isInstanceOf(NonFiniteLossException.class).hasMessageContaining("class weight 0.0");
    }
}
