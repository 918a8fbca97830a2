package dev.vnet.core.nn.vnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link VNet#forward(Tensor, java.util.function.BiConsumer)}: every stage's output, in data-flow order. */
class VNetStageOutputsTest {
    @Test
    void handsOverEveryStageOfTheLayoutAtThePaddedSizeAndChangesNothing() {
        VNetConfig c = VNetConfig.builder().inChannels(3).baseWidth(2).build();
        VNet net = new VNet(c, 3);
        net.eval();
        // 20×36 is padded to 32×48 inside the model
        Tensor x = Tensor.uniform(new Rng(5), 0f, 1f, 1, 3, 20, 36);
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        Tensor withStages = net.forward(x, (name, out) -> {
            names.add(name);
            shapes.add(out.shape());
        });
        Tensor plain = net.forward(x);

        assertThat(withStages.data()).containsExactly(plain.data());
        assertThat(withStages.shape()).containsExactly(1, 1, 20, 36);
        List<VNetLayout.Stage> stages = net.layout().stages();
        assertThat(names).isEqualTo(stages.stream().map(VNetLayout.Stage::name).toList());
        for (int i = 0; i < stages.size(); i++) {
            VNetLayout.Stage s = stages.get(i);
            assertThat(shapes.get(i)).as(s.name())
                    .containsExactly(1, s.out(), 32 / s.downscale(), 48 / s.downscale());
        }
        assertThat(names).first().isEqualTo("in_tr");
        assertThat(names).last().isEqualTo("out_tr");
    }
}
