package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Element-wise arithmetic, reductions, concatenation, repetition, padding and cropping. */
class ReshapingTest {
    private static final TorchFixtures REF = TorchFixtures.load("shapes");

    @Test
    void elementwiseMatchPyTorch() {
        Tensor a = REF.leaf("a"), b = REF.leaf("b");
        float[] dy = REF.get("dy").data();
        Tensor y = Elementwise.add(a, b);
        y.backward(dy);
        REF.assertClose("add.y", y);
        REF.assertClose("add.da", a.grad());
        REF.assertClose("add.db", b.grad());

        a = REF.leaf("a");
        b = REF.leaf("b");
        y = Elementwise.mul(a, b);
        y.backward(dy);
        REF.assertClose("mul.y", y);
        REF.assertClose("mul.da", a.grad());
        REF.assertClose("mul.db", b.grad());

        a = REF.leaf("a");
        y = Elementwise.addScalar(a, 1.5f);
        y.backward(dy);
        REF.assertClose("addScalar.y", y);
        REF.assertClose("addScalar.da", a.grad());

        a = REF.leaf("a");
        y = Elementwise.mulScalar(a, -0.7f);
        y.backward(dy);
        REF.assertClose("mulScalar.y", y);
        REF.assertClose("mulScalar.da", a.grad());
    }

    @Test
    void sumAndMeanMatchPyTorch() {
        Tensor a = REF.leaf("a");
        Tensor s = Reductions.sum(a);
        assertThat(s.shape()).isEmpty();
        s.backward(new float[] {0.75f});
        REF.assertClose("sum.y", s);
        REF.assertClose("sum.da", a.grad());

        a = REF.leaf("a");
        Tensor m = Reductions.mean(a);
        m.backward(new float[] {0.75f});
        REF.assertClose("mean.y", m);
        REF.assertClose("mean.da", a.grad());
    }

    @Test
    void concatChannelsMatchesPyTorch() {
        Tensor x1 = REF.leaf("cat.x1"), x2 = REF.leaf("cat.x2"), x3 = REF.leaf("cat.x3");
        Tensor y = Reshaping.concatChannels(x1, x2, x3);
        y.backward(REF.get("cat.dy").data());
        REF.assertClose("cat.y", y);
        REF.assertClose("cat.dx1", x1.grad());
        REF.assertClose("cat.dx2", x2.grad());
        REF.assertClose("cat.dx3", x3.grad());
    }

    @Test
    void repeatChannelsMatchesPyTorchRepeat() {
        int[] times = {4, 3};
        for (int i = 0; i < 2; i++) {
            String tag = "repeat" + (i + 1);
            Tensor x = REF.leaf(tag + ".x");
            Tensor y = Reshaping.repeatChannels(x, times[i]);
            y.backward(REF.get(tag + ".dy").data());
            REF.assertClose(tag + ".y", y);
            REF.assertClose(tag + ".dx", x.grad());
        }
    }

    @Test
    void padAndCropMatchPyTorch() {
        Tensor x = REF.leaf("pad.x");
        Tensor y = Reshaping.pad2d(x, 1, 2, 0, 3);
        y.backward(REF.get("pad.dy").data());
        REF.assertClose("pad.y", y);
        REF.assertClose("pad.dx", x.grad());

        x = REF.leaf("pad.x");
        y = Reshaping.crop2d(x, 1, 2, 3, 4);
        y.backward(REF.get("crop.dy").data());
        REF.assertClose("crop.y", y);
        REF.assertClose("crop.dx", x.grad());
    }

    @Test
    void cropUndoesPad() {
        Tensor x = Tensor.randn(new Rng(9), 1f, 2, 3, 5, 7);
        Tensor back = Reshaping.crop2d(Reshaping.pad2d(x, 3, 0, 1, 4), 3, 1, 5, 7);
        assertThat(back.data()).containsExactly(x.data());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck check = GradCheck.standard();
        Rng rng = new Rng(11);
        check.check("add", in -> Elementwise.add(in[0], in[1]), leaf(rng, 2, 3, 4), leaf(rng, 2, 3, 4));
        check.check("mul", in -> Elementwise.mul(in[0], in[1]), leaf(rng, 2, 3, 4), leaf(rng, 2, 3, 4));
        check.check("addScalar", in -> Elementwise.addScalar(in[0], 2f), leaf(rng, 3, 4));
        check.check("mulScalar", in -> Elementwise.mulScalar(in[0], -3f), leaf(rng, 3, 4));
        check.check("sum", in -> Reductions.sum(in[0]), leaf(rng, 2, 3, 4));
        check.check("mean", in -> Reductions.mean(in[0]), leaf(rng, 2, 3, 4));
        check.check("concatChannels", in -> Reshaping.concatChannels(in[0], in[1]), leaf(rng, 2, 1, 3, 2), leaf(rng, 2, 2, 3, 2));
        check.check("repeatChannels", in -> Reshaping.repeatChannels(in[0], 3), leaf(rng, 2, 2, 2, 3));
        check.check("pad2d", in -> Reshaping.pad2d(in[0], 1, 0, 2, 1), leaf(rng, 2, 2, 3, 3));
        check.check("crop2d", in -> Reshaping.crop2d(in[0], 1, 0, 2, 2), leaf(rng, 2, 2, 3, 3));
    }

    @Test
    void mismatchedShapesNameTheOpAndBothShapes() {
        assertThatThrownBy(() -> Elementwise.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("add: shapes differ: [2, 3] vs [3, 2]");
        assertThatThrownBy(() -> Elementwise.mul(Tensor.zeros(1, 4, 8, 8), Tensor.zeros(1, 4, 8, 9)))
                .hasMessageContaining("mul").hasMessageContaining("[1, 4, 8, 8]").hasMessageContaining("[1, 4, 8, 9]");
        assertThatThrownBy(() -> Reshaping.concatChannels(Tensor.zeros(1, 2, 8, 8), Tensor.zeros(1, 2, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concatChannels").hasMessageContaining("[1, 2, 8, 8]").hasMessageContaining("[1, 2, 4, 4]");
        assertThatThrownBy(() -> Reshaping.crop2d(Tensor.zeros(1, 1, 4, 4), 2, 0, 3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crop2d").hasMessageContaining("[1, 1, 4, 4]");
    }

    private static Tensor leaf(Rng rng, int... shape) {
        return Tensor.randn(rng, 1f, shape).requiresGrad(true);
    }
}
