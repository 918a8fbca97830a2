package dev.vnet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BCE with logits, soft Dice and Dice+BCE against PyTorch, finite differences, and their NaN errors. */
class LossTest {
    private static final TorchFixtures REF = TorchFixtures.load("loss");

    @Test
    void bceWithLogitsMatchesPyTorchIncludingLargeLogits() {
        for (String[] c : new String[][] {{"bce", "g"}, {"bcesoft", "gsoft"}}) {
            Tensor x = REF.leaf("x");
            Tensor loss = new BceWithLogitsLoss().forward(x, REF.get(c[1]));
            loss.backward();
            REF.assertClose(c[0] + ".y", loss);
            REF.assertClose(c[0] + ".dx", x.grad());
        }
    }

    @Test
    void diceMatchesPyTorchWithPlainAndSquaredDenominator() {
        Tensor x = REF.leaf("x");
        Tensor loss = new DiceLoss(1f, false).forward(x, REF.get("g"));
        loss.backward();
        REF.assertClose("dice.y", loss);
        REF.assertClose("dice.dx", x.grad());

        x = REF.leaf("x");
        loss = new DiceLoss(0.5f, true).forward(x, REF.get("g"));
        loss.backward();
        REF.assertClose("dicesq.y", loss);
        REF.assertClose("dicesq.dx", x.grad());
    }

    @Test
    void diceBceMatchesPyTorch() {
        Tensor x = REF.leaf("x");
        Tensor loss = new DiceBceLoss().forward(x, REF.get("g"));
        loss.backward();
        REF.assertClose("dicebce.y", loss);
        REF.assertClose("dicebce.dx", x.grad());

        x = REF.leaf("x");
        loss = new DiceBceLoss(new DiceLoss(1f, false), 0.7f, 1.3f).forward(x, REF.get("g"));
        loss.backward();
        REF.assertClose("dicebce2.y", loss);
        REF.assertClose("dicebce2.dx", x.grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(41);
        Tensor target = mask(rng, 2, 1, 4, 5);
        GradCheck check = GradCheck.of(1e-2, 2e-2);
        check.check("BCE", in -> new BceWithLogitsLoss().forward(in[0], target), logits(rng));
        check.check("Dice", in -> new DiceLoss(1f, false).forward(in[0], target), logits(rng));
        check.check("Dice squared", in -> new DiceLoss(0.1f, true).forward(in[0], target), logits(rng));
        check.check("Dice+BCE", in -> new DiceBceLoss(new DiceLoss(), 0.6f, 1.4f).forward(in[0], target), logits(rng));
    }

    @Test
    void perfectPredictionHasDiceNearZeroAndEmptyMasksAreDefined() {
        Tensor target = mask(new Rng(5), 1, 1, 8, 8);
        float[] logits = new float[64];
        for (int i = 0; i < 64; i++) {
            logits[i] = target.data()[i] > 0 ? 30f : -30f;
        }
        assertThat(new DiceLoss().forward(Tensor.of(logits, 1, 1, 8, 8), target).item()).isLessThan(1e-6f);
        // Both empty: (0 + s) / (0 + 0 + s) = 1, loss 0; with s = 0 it would be 0/0, which must throw.
        Tensor empty = Tensor.zeros(1, 1, 2, 2);
        Tensor veryNegative = Tensor.full(-200f, 1, 1, 2, 2);
        assertThat(new DiceLoss().forward(veryNegative, empty).item()).isEqualTo(0f);
        assertThatThrownBy(() -> new DiceLoss(0f, false).forward(veryNegative, empty))
                .isInstanceOf(NonFiniteLossException.class).hasMessageStartingWith("Dice: the loss is NaN");
    }

    @Test
    void nanOrInfinityInALossSaysWhichLossAndWhere() {
        float[] x = new float[2 * 1 * 3 * 4];
        x[17] = Float.NaN;
        Tensor logits = Tensor.of(x, 2, 1, 3, 4);
        Tensor target = Tensor.zeros(2, 1, 3, 4);
        assertThatThrownBy(() -> new BceWithLogitsLoss().forward(logits, target))
                .isInstanceOf(NonFiniteLossException.class)
                .hasMessage("BCE: logits contain NaN at index 17 (n=1, c=0, h=1, w=1) of shape [2, 1, 3, 4]");
        assertThatThrownBy(() -> new DiceLoss().forward(logits, target))
                .isInstanceOf(NonFiniteLossException.class).hasMessageStartingWith("Dice: logits contain NaN at index 17");
        float[] g = new float[24];
        g[3] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new DiceBceLoss().forward(Tensor.zeros(2, 1, 3, 4), Tensor.of(g, 2, 1, 3, 4)))
                .isInstanceOf(NonFiniteLossException.class).hasMessageContaining("targets contain +Infinity at index 3");
    }

    @Test
    void mismatchedShapesNameTheLossAndBothShapes() {
        assertThatThrownBy(() -> new BceWithLogitsLoss().forward(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BCE: shapes differ: [1, 1, 4, 4] vs [1, 1, 4, 5]");
    }

    private static Tensor logits(Rng rng) {
        return Tensor.randn(rng, 1.5f, 2, 1, 4, 5).requiresGrad(true);
    }

    private static Tensor mask(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = rng.nextFloat() < 0.35f ? 1f : 0f;
        }
        return t;
    }
}
