package dev.vnet.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.TorchFixtures;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.ops.Reshaping;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small network with every kind of layer V-Net chains (conv → batch norm → ReLU → strided conv →
 * transposed conv → concatenation → 1×1 conv → residual add), loaded with PyTorch's weights; its
 * output, every gradient and the batch norm buffers after one training forward must match PyTorch's.
 */
class StackParityTest {

    /** The same layout as {@code Stack} in {@code tools/fixtures/torch_core.py}. */
    static final class Stack extends Module {
        final Conv2d conv1;
        final BatchNorm2d bn;
        final Conv2d down;
        final ConvTranspose2d up;
        final Conv2d mix;

        Stack(Rng rng) {
            conv1 = registerModule("conv1", new Conv2d(3, 4, 3, 1, 1, true, rng));
            bn = registerModule("bn", new BatchNorm2d(4));
            down = registerModule("down", new Conv2d(4, 4, 2, 2, 0, true, rng));
            up = registerModule("up", new ConvTranspose2d(4, 4, 2, 2, 0, 0, true, rng));
            mix = registerModule("mix", new Conv2d(8, 4, 1, 1, 0, false, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b = Activations.relu(bn.forward(conv1.forward(x)));
            Tensor d = up.forward(down.forward(b));
            return Elementwise.add(mix.forward(Reshaping.concatChannels(d, b)), b);
        }
    }

    @Test
    void outputGradientsAndBuffersMatchPyTorch() {
        TorchFixtures ref = TorchFixtures.load("module");
        Stack m = new Stack(new Rng(1));
        Map<String, Tensor> init = new LinkedHashMap<>();
        Map<String, Tensor> after = new LinkedHashMap<>();
        for (String k : ref.keys()) {
            if (k.startsWith("init.")) {
                init.put(k.substring(5), ref.get(k));
            } else if (k.startsWith("after.")) {
                after.put(k.substring(6), ref.get(k));
            }
        }
        assertThat(m.stateDict().keySet()).containsExactlyElementsOf(init.keySet());
        m.loadStateDict(init);

        Tensor x = ref.leaf("x");
        Tensor y = m.forward(x);
        y.backward(ref.get("dy").data());
        ref.assertClose("y", y);
        ref.assertClose("dx", x.grad());
        for (var e : m.parameters().entrySet()) {
            if (!e.getKey().equals("conv1.bias")) {
                ref.assertClose("grad." + e.getKey(), e.getValue().grad());
            }
        }
        // A bias right before a training-mode batch norm is cancelled by the mean subtraction: its true
        // gradient is 0 and both engines return rounding noise, so bound it by the weight gradient's scale.
        float weightScale = 0;
        for (float g : m.conv1.weight().grad()) {
            weightScale = Math.max(weightScale, Math.abs(g));
        }
        for (float g : m.conv1.bias().grad()) {
            assertThat(Math.abs(g)).isLessThan(1e-4f * weightScale);
        }
        for (var e : m.stateDict().entrySet()) {
            ref.assertClose("after." + e.getKey(), e.getValue());
        }
        assertThat(after).hasSameSizeAs(m.stateDict());
    }
}
