package dev.vnet.core.nn;

import dev.vnet.core.ops.Reshaping;
import dev.vnet.core.tensor.Tensor;

/** {@code [N, ...] → [N, features]}, like {@code torch.nn.Flatten()}; see {@link Reshaping#flatten}. */
public final class Flatten extends Module {
    // x [n, d1, d2, ...] -> y [n, d1·d2·...]
    @Override
    public Tensor forward(Tensor x) {
        return Reshaping.flatten(x);
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=1, end_dim=-1)";
    }
}
