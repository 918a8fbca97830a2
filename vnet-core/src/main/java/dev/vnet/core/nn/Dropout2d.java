package dev.vnet.core.nn;

import dev.vnet.core.ops.Dropout;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;

/**
 * Channel dropout like {@code torch.nn.Dropout2d(p)}: in training mode each (sample, channel) is
 * zeroed with probability {@code p} and the rest scaled by {@code 1/(1−p)}; in evaluation mode the
 * input passes through unchanged. The channels dropped come from the module's own seeded {@link Rng}.
 */
public final class Dropout2d extends Module {
    private final float p;
    private final Rng rng;

    /**
     * @param p   the probability of dropping a channel, in [0, 1)
     * @param rng the source of the dropped channels, consumed one number per (sample, channel) per call
     */
    public Dropout2d(float p, Rng rng) {
        Dropout.checkProbability("Dropout2d", p);
        this.p = p;
        this.rng = rng;
    }

    /** {@return the drop probability} */
    public float p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? Dropout.dropout2d(x, p, rng) : x;
    }

    @Override
    public String toString() {
        return "Dropout2d(p=" + p + ")";
    }
}
