package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fully connected layer and flattening against PyTorch and by finite differences. */
class DenseTest {
    private static final TorchFixtures REF = TorchFixtures.load("dense");

    @Test
    void linearMatchesPyTorch() {
        Tensor x = REF.leaf("x"), w = REF.leaf("w"), b = REF.leaf("b");
        Tensor y = Dense.linear(x, w, b);
        y.backward(REF.get("dy").data());
        REF.assertClose("y", y);
        REF.assertClose("dx", x.grad());
        REF.assertClose("dw", w.grad());
        REF.assertClose("db", b.grad());

        x = REF.leaf("nb.x");
        w = REF.leaf("nb.w");
        y = Dense.linear(x, w, null);
        y.backward(REF.get("nb.dy").data());
        REF.assertClose("nb.y", y);
        REF.assertClose("nb.dx", x.grad());
        REF.assertClose("nb.dw", w.grad());
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(5);
        GradCheck.standard().check("linear", in -> Dense.linear(in[0], in[1], in[2]),
                Tensor.randn(rng, 1f, 3, 6).requiresGrad(true), Tensor.randn(rng, 0.5f, 4, 6).requiresGrad(true),
                Tensor.randn(rng, 1f, 4).requiresGrad(true));
    }

    @Test
    void flattenMatchesPyTorchAndSharesTheValues() {
        Tensor x = REF.leaf("flat.x");
        Tensor y = Reshaping.flatten(x);
        y.backward(REF.get("flat.dy").data());
        REF.assertClose("flat.y", y);
        REF.assertClose("flat.dx", x.grad());
        assertThat(y.data()).isSameAs(x.data());
        assertThat(Reshaping.flatten(Tensor.zeros(4, 3)).shape()).containsExactly(4, 3);
        assertThatThrownBy(() -> Reshaping.flatten(Tensor.zeros(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flatten").hasMessageContaining("[5]");
    }

    @Test
    void mismatchedShapesAreNamed() {
        assertThatThrownBy(() -> Dense.linear(Tensor.zeros(2, 5), Tensor.zeros(3, 4), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 5]").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Dense.linear(Tensor.zeros(2, 4), Tensor.zeros(3, 4), Tensor.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias").hasMessageContaining("[3]");
        assertThatThrownBy(() -> Dense.linear(Tensor.zeros(2, 4, 1, 1), Tensor.zeros(3, 4), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 4, 1, 1]")
                .hasMessageContaining("2 dimensions");
    }
}
