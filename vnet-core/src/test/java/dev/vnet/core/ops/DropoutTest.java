package dev.vnet.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.GradCheck;
import dev.vnet.core.TorchFixtures;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dropout of single values and of channels. PyTorch's random numbers cannot be reproduced, so parity replays the channels PyTorch's
 * own {@code dropout} and {@code dropout2d} dropped; the draw itself is checked by its defining properties: values
 * (whole channels) are zeroed, the rest scaled by 1/(1−p), the drop rate is p, and the same seed drops the same ones.
 */
class DropoutTest {

    @Test
    void theChannelsPyTorchDroppedGiveItsOutputAndGradient() {
        TorchFixtures ref = TorchFixtures.load("dropout");
        Tensor x = ref.leaf("x");
        float[] flags = ref.get("dropped").data();
        boolean[] dropped = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) {
            dropped[i] = flags[i] != 0f;
        }
        Tensor y = Dropout.dropout2d(x, ref.get("p").item(), dropped);
        y.backward(ref.get("dy").data());
        ref.assertClose("y", y);
        ref.assertClose("dx", x.grad());
    }

    @Test
    void zeroesWholeChannelsAndScalesTheRest() {
        Tensor x = Tensor.full(2f, 8, 16, 3, 3);
        Tensor y = Dropout.dropout2d(x, 0.25f, new Rng(3));
        float[] v = y.data();
        int dropped = 0;
        for (int plane = 0; plane < 8 * 16; plane++) {
            float first = v[plane * 9];
            assertThat(first).isIn(0f, 2f / 0.75f);
            for (int j = 1; j < 9; j++) {
                assertThat(v[plane * 9 + j]).isEqualTo(first);
            }
            if (first == 0f) {
                dropped++;
            }
        }
        // 128 Bernoulli(0.25) draws: mean 32, standard deviation 4.9.
        assertThat(dropped).isBetween(12, 52);
    }

    @Test
    void sameSeedSameChannelsAndGradientFollowsTheMask() {
        Tensor x = Tensor.randn(new Rng(1), 1f, 2, 4, 3, 3).requiresGrad(true);
        Tensor a = Dropout.dropout2d(x, 0.5f, new Rng(42));
        Tensor b = Dropout.dropout2d(x, 0.5f, new Rng(42));
        assertThat(a.data()).containsExactly(b.data());
        GradCheck.standard().check("dropout2d", in -> Dropout.dropout2d(in[0], 0.5f, new Rng(42)),
                Tensor.randn(new Rng(2), 1f, 2, 4, 3, 3).requiresGrad(true));
    }

    @Test
    void zeroProbabilityIsTheIdentityAndOneDropsEverything() {
        Tensor x = Tensor.full(1f, 1, 2, 2, 2);
        assertThat(Dropout.dropout2d(x, 0f, new Rng(1))).isSameAs(x);
        assertThat(Dropout.dropout2d(x, 1f, new Rng(1)).data()).containsOnly(0f);
        assertThatThrownBy(() -> Dropout.dropout2d(x, 1.5f, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout2d").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Dropout.dropout2d(x, 0.5f, new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 2, 2, 2]").hasMessageContaining("3 flags");
    }

    @Test
    void theValuesPyTorchDroppedGiveItsOutputAndGradient() {
        TorchFixtures ref = TorchFixtures.load("dropout_values");
        Tensor x = ref.leaf("x");
        float[] flags = ref.get("dropped").data();
        boolean[] dropped = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) {
            dropped[i] = flags[i] != 0f;
        }
        Tensor y = Dropout.dropout(x, ref.get("p").item(), dropped);
        y.backward(ref.get("dy").data());
        ref.assertClose("y", y);
        ref.assertClose("dx", x.grad());
    }

    @Test
    void valueDropoutDropsAtRatePAndScalesTheRest() {
        Tensor x = Tensor.full(3f, 40, 50);
        float[] v = Dropout.dropout(x, 0.3f, new Rng(9)).data();
        int dropped = 0;
        for (float f : v) {
            assertThat(f).isIn(0f, 3f / 0.7f);
            dropped += f == 0f ? 1 : 0;
        }
        // 2000 Bernoulli(0.3) draws: mean 600, standard deviation 20.5.
        assertThat(dropped).isBetween(520, 680);
        Tensor in = Tensor.randn(new Rng(1), 1f, 3, 7).requiresGrad(true);
        assertThat(Dropout.dropout(in, 0.5f, new Rng(42)).data()).containsExactly(Dropout.dropout(in, 0.5f, new Rng(42)).data());
        GradCheck.standard().check("dropout", t -> Dropout.dropout(t[0], 0.5f, new Rng(42)), in);
        assertThat(Dropout.dropout(in, 0f, new Rng(1))).isSameAs(in);
        assertThat(Dropout.dropout(in, 1f, new Rng(1)).data()).containsOnly(0f);
        assertThatThrownBy(() -> Dropout.dropout(in, -0.1f, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout").hasMessageContaining("-0.1");
    }
}
