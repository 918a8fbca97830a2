package dev.vnet.core.loss;

import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.tensor.Tensor;

/** {@code α·Dice + β·BCE}, the loss of the published method (α = β = 1). */
public final class DiceBceLoss implements Loss {
    private final DiceLoss dice;
    private final BceWithLogitsLoss bce = new BceWithLogitsLoss();
    private final float diceWeight;
    private final float bceWeight;

    /** Dice (smoothing 1, plain denominator) + BCE, both with weight 1. */
    public DiceBceLoss() {
        this(new DiceLoss(), 1f, 1f);
    }

    /**
     * @param dice       the Dice term
     * @param diceWeight α, {@code >= 0}
     * @param bceWeight  β, {@code >= 0}
     */
    public DiceBceLoss(DiceLoss dice, float diceWeight, float bceWeight) {
        if (!(diceWeight >= 0f) || !(bceWeight >= 0f) || Float.isInfinite(diceWeight) || Float.isInfinite(bceWeight)) {
            throw new IllegalArgumentException("Dice+BCE: weights must be finite and >= 0, got dice " + diceWeight
                    + ", bce " + bceWeight);
        }
        this.dice = dice;
        this.diceWeight = diceWeight;
        this.bceWeight = bceWeight;
    }

    /** {@return the Dice term} */
    public DiceLoss dice() {
        return dice;
    }

    /**
     * α.
     *
     * @return the weight α of the Dice term
     */
    public float diceWeight() {
        return diceWeight;
    }

    /**
     * β.
     *
     * @return the weight β of the BCE term
     */
    public float bceWeight() {
        return bceWeight;
    }

    @Override
    public String name() {
        return "Dice+BCE";
    }

    // logits [*], target [*] -> loss []
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        Tensor d = dice.forward(logits, target);
        Tensor b = bce.forward(logits, target);
        Tensor loss = Elementwise.add(Elementwise.mulScalar(d, diceWeight), Elementwise.mulScalar(b, bceWeight));
        NonFiniteLossException.requireFiniteResult(name(), loss.item(), "Dice " + d.item() + ", BCE " + b.item());
        return loss;
    }
}
