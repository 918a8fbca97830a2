package dev.vnet.core.nn;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Tensor;

/** The logistic function, like {@code torch.nn.Sigmoid}: turns logits into probabilities. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.sigmoid(x);
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
