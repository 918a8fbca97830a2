package dev.vnet.core.nn.vnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.nn.vnet.VNetLayout.ConvLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VNetLayoutTest {

    @Test
    void stagesChainTheirChannelsAndSizes() {
        VNetLayout layout = VNetLayout.of(VNetConfig.builder().inChannels(3).baseWidth(8).dropout(0.25f).build());
        List<VNetLayout.Stage> stages = layout.stages();
        assertThat(stages).extracting(VNetLayout.Stage::name).containsExactly("in_tr", "down_tr32", "down_tr64",
                "down_tr128", "down_tr256", "up_tr256", "up_tr128", "up_tr64", "up_tr32", "out_tr");
        for (int i = 1; i < stages.size(); i++) {
            assertThat(stages.get(i).in()).as(stages.get(i).name()).isEqualTo(stages.get(i - 1).out());
        }
        assertThat(stages).extracting(VNetLayout.Stage::downscale).containsExactly(1, 2, 4, 8, 16, 8, 4, 2, 1, 1);
        assertThat(stages).extracting(VNetLayout.Stage::dropout)
                .containsExactly(0f, 0f, 0f, 0.25f, 0.25f, 0.25f, 0.25f, 0f, 0f, 0f);
    }

    @Test
    void convLayersAreTheModelsConvolutionsWithTheirWeights() {
        VNetConfig config = VNetConfig.builder().inChannels(3).outChannels(2).baseWidth(5).downConvs(0, 1, 0, 2)
                .upConvs(3, 0, 1, 0).build();
        List<ConvLayer> layers = VNetLayout.of(config).convLayers(2, 40, 50);
        Map<String, int[]> weights = new LinkedHashMap<>();
        new VNet(config, 3).stateDict().forEach((name, t) -> {
            if (t.rank() == 4) {
                weights.put(name, t.shape());
            }
        });
        assertThat(layers).extracting(l -> l.name() + ".weight").containsExactlyElementsOf(weights.keySet());
        for (ConvLayer l : layers) {
            ConvGeometry g = l.geometry();
            assertThat(new int[] {g.k(), g.c(), g.r(), g.s()}).as(l.name()).isEqualTo(weights.get(l.name() + ".weight"));
            assertThat(g.n()).isEqualTo(2);
        }
        // 40 × 50 is padded to 48 × 64; the first convolution sees that, the deepest 5×5 ones a sixteenth of it
        assertThat(layers.get(0).geometry()).isEqualTo(new ConvGeometry(2, 3, 48, 64, 5, 5, 5, 1, 1, 2, 2));
        assertThat(find(layers, "down_tr256.ops.1.conv_block.conv").geometry())
                .isEqualTo(new ConvGeometry(2, 80, 3, 4, 80, 5, 5, 1, 1, 2, 2));
    }

    @Test
    void theBenchmarkedShapesAreLayersOfTheMonaiModelAt256() {
        Map<String, ConvLayer> byLabel = new LinkedHashMap<>();
        for (ConvLayer l : VNetLayout.of(VNetConfig.monai()).convLayers(4, 256, 256)) {
            byLabel.putIfAbsent(l.label(), l);
        }
        // n, c, h, w, k, r, s, strideH, strideW, padH, padW
        assertThat(byLabel.get("conv5x5_32x256").geometry()).isEqualTo(new ConvGeometry(4, 32, 256, 256, 32, 5, 5, 1, 1, 2, 2));
        assertThat(byLabel.get("conv5x5_256x16").geometry()).isEqualTo(new ConvGeometry(4, 256, 16, 16, 256, 5, 5, 1, 1, 2, 2));
        assertThat(byLabel.get("down2x2_16x256").geometry()).isEqualTo(new ConvGeometry(4, 16, 256, 256, 32, 2, 2, 2, 2, 0, 0));
        assertThat(byLabel.get("down2x2_128x32").geometry()).isEqualTo(new ConvGeometry(4, 128, 32, 32, 256, 2, 2, 2, 2, 0, 0));
        assertThat(byLabel.get("up2x2_256x16").geometry()).isEqualTo(new ConvGeometry(4, 128, 32, 32, 256, 2, 2, 2, 2, 0, 0));
        assertThat(byLabel.get("up2x2_256x16").transposed()).isTrue();
        assertThat(byLabel.get("up2x2_64x128").geometry()).isEqualTo(new ConvGeometry(4, 16, 256, 256, 64, 2, 2, 2, 2, 0, 0));
        assertThat(byLabel.get("conv5x5_32to1x256").name()).isEqualTo("out_tr.conv_block.conv");
        // every 5×5 convolution at 256×256 changes the channels but up_tr32's: 16 → 16 there is none
        assertThat(byLabel).containsKeys("conv5x5_1to16x256", "conv5x5_32x128", "conv5x5_64x64", "conv5x5_128x32",
                "conv1x1_1x256").doesNotContainKey("conv5x5_16x256");
    }

    @Test
    void badSizesAreRejected() {
        assertThatThrownBy(() -> VNetLayout.of(VNetConfig.monai()).convLayers(0, 64, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0, 64, 64");
    }

    private static ConvLayer find(List<ConvLayer> layers, String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }
}
