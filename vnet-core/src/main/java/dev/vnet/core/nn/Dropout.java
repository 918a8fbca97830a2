package dev.vnet.core.nn;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * Dropout of single values like {@code torch.nn.Dropout(p)}: in training mode each value is zeroed with probability
 * {@code p} and the rest scaled by {@code 1/(1−p)}; in evaluation mode the input passes through unchanged. The values
 * dropped come from the module's own seeded {@link Rng}. For whole channels of a feature map see {@link Dropout2d}.
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    /**
     * @param p   the probability of dropping a value, in [0, 1]
     * @param rng the source of the dropped values, consumed one number per value per call
     */
    public Dropout(float p, Rng rng) {
        dev.vnet.core.ops.Dropout.checkProbability("Dropout", p);
        this.p = p;
        this.rng = rng;
    }

    /** {@return the drop probability} */
    public float p() {
        return p;
    }

    // x [*] -> y [*]
    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? dev.vnet.core.ops.Dropout.dropout(x, p, rng) : x;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
