package dev.vnet.core.nn;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Tensor;

/** {@code max(x, 0)}, like {@code torch.nn.ReLU}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu(x);
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
