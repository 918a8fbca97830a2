package dev.vnet.core.nn.vnet;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/** V-Nets for comparisons with other engines. */
public final class TestModels {
    private TestModels() {}

    /**
     * A V-Net in evaluation mode with random weights and with batch-norm statistics, batch-norm affine parameters,
     * biases and PReLU slopes far from their initial values, so that a value taken from the wrong place shows.
     *
     * @param config the layout
     * @param seed   the seed of every value
     * @return the model
     */
    public static VNet trainedLooking(VNetConfig config, long seed) {
        VNet model = new VNet(config, seed);
        Rng rng = new Rng(seed + 1000);
        Map<String, Tensor> values = new HashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            String k = e.getKey();
            Tensor t = e.getValue();
            float[] v = t.data().clone();
            for (int i = 0; i < v.length; i++) {
                float u = (float) rng.nextDouble();
                if (k.endsWith("running_mean") || k.endsWith(".bias")) {
                    v[i] = 0.2f * (2 * u - 1);
                } else if (k.endsWith("running_var")) {
                    v[i] = 0.5f + u;
                } else if (t.rank() == 1 && k.endsWith(".weight")) {
                    v[i] = k.contains("act_function") ? 0.05f + 0.3f * u : 0.7f + 0.6f * u;
                }
            }
            values.put(k, Tensor.wrap(v, t.shape()));
        }
        model.loadStateDict(values);
        model.eval();
        return model;
    }
}
