package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ReLU, PReLU, ELU and sigmoid against PyTorch and finite differences. */
class ActivationsTest {
    private static final TorchFixtures REF = TorchFixtures.load("activations");

    @Test
    void reluMatchesPyTorch() {
        Tensor x = REF.leaf("x");
        Tensor y = Activations.relu(x);
        y.backward(REF.get("dy").data());
        REF.assertClose("relu.y", y);
        REF.assertClose("relu.dx", x.grad());
    }

    @Test
    void preluPerChannelAndSharedMatchPyTorch() {
        for (String tag : new String[] {"prelu", "prelu1"}) {
            Tensor x = REF.leaf("x");
            Tensor w = REF.leaf(tag + ".w");
            Tensor y = Activations.prelu(x, w);
            y.backward(REF.get("dy").data());
            REF.assertClose(tag + ".y", y);
            REF.assertClose(tag + ".dx", x.grad());
            REF.assertClose(tag + ".dw", w.grad());
        }
    }

    @Test
    void eluMatchesPyTorch() {
        float[] alphas = {1f, 0.7f};
        String[] tags = {"elu", "elu07"};
        for (int i = 0; i < 2; i++) {
            Tensor x = REF.leaf("x");
            Tensor y = Activations.elu(x, alphas[i]);
            y.backward(REF.get("dy").data());
            REF.assertClose(tags[i] + ".y", y);
            REF.assertClose(tags[i] + ".dx", x.grad());
        }
    }

    @Test
    void sigmoidMatchesPyTorchIncludingSaturatedValues() {
        Tensor x = REF.leaf("sigmoid.x");
        Tensor y = Activations.sigmoid(x);
        y.backward(REF.get("sigmoid.dy").data());
        REF.assertClose("sigmoid.y", y);
        REF.assertClose("sigmoid.dx", x.grad());
        for (float v : y.data()) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck check = GradCheck.standard();
        check.check("relu", in -> Activations.relu(in[0]), awayFromZero(new Rng(1), 2, 3, 3, 3));
        check.check("prelu", in -> Activations.prelu(in[0], in[1]), awayFromZero(new Rng(2), 2, 3, 3, 3),
                Tensor.of(new float[] {0.1f, -0.2f, 0.5f}, 3).requiresGrad(true));
        check.check("prelu shared", in -> Activations.prelu(in[0], in[1]), awayFromZero(new Rng(3), 2, 2, 3, 3),
                Tensor.of(new float[] {0.3f}, 1).requiresGrad(true));
        check.check("elu", in -> Activations.elu(in[0], 0.8f), awayFromZero(new Rng(4), 2, 3, 3, 3));
        check.check("sigmoid", in -> Activations.sigmoid(in[0]), Tensor.randn(new Rng(5), 2f, 2, 3, 3, 3).requiresGrad(true));
    }

    @Test
    void preluRejectsAWeightOfTheWrongSize() {
        Tensor x = Tensor.zeros(1, 3, 2, 2);
        assertThatThrownBy(() -> Activations.prelu(x, Tensor.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prelu").hasMessageContaining("[2]").hasMessageContaining("[1, 3, 2, 2]");
    }

    /** Values at least 0.05 from the kink at 0, where the finite difference of ReLU-like functions is meaningless. */
    static Tensor awayFromZero(Rng rng, int... shape) {
        Tensor t = Tensor.randn(rng, 1f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (Math.abs(d[i]) < 0.05f) {
                d[i] = d[i] < 0 ? -0.3f : 0.3f;
            }
        }
        return t.requiresGrad(true);
    }
}
