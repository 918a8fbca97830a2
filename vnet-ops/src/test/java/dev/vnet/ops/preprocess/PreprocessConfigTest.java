package dev.vnet.ops.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessConfigTest {
    @Test
    void paperDrawsTheTrueMaskWithDiscsOfRadius25InOriginalPixels() {
        PreprocessConfig paper = PreprocessConfig.paper();
        assertThat(paper.radiusFor(2592)).isEqualTo(25);
        // An original of the network's size: the nearest-neighbour resize keeps every pixel, the disc shows as drawn.
        Image8 m = new SmearPreprocessor(paper).prepareMask(256, 256, List.of(new Point(128, 100)));
        assertThat(m.get(128 + 25, 100, 0)).isEqualTo(255);
        assertThat(m.get(128 + 26, 100, 0)).isZero();
        assertThat(m.get(128, 100 - 25, 0)).isEqualTo(255);
        assertThat(m.get(128, 100 - 26, 0)).isZero();
    }

    @Test
    void aStepOfSizeZeroIsLeftOutOfThePipeline() {
        PreprocessConfig rgbMedianOnly = new PreprocessConfig(false, 64, 48, 0, 0, 3, 0, 8, 8, 0, 0.025);
        assertThat(rgbMedianOnly.pipeline().toString())
                .isEqualTo("resize(width=64, height=48, interpolation=LINEAR) → median(ksize=3)");
        assertThat(rgbMedianOnly.channels()).isEqualTo(3);
        assertThat(rgbMedianOnly.radiusFor(1000)).isEqualTo(25);
        assertThat(rgbMedianOnly.withSize(32, 32).pipeline().toString())
                .isEqualTo("resize(width=32, height=32, interpolation=LINEAR) → median(ksize=3)");
    }

    @Test
    void aSampleIsThePipelinesImageAndTheMaskAtTheSameSize() {
        PreprocessConfig rgb = new PreprocessConfig(false, 40, 30, 3, 0, 3, 2.0, 4, 4, 6, 0);
        SmearPreprocessor pre = new SmearPreprocessor(rgb);
        Image8 gray = new Image8(80, 60, 1);
        for (int i = 0; i < gray.data().length; i++) {
            gray.data()[i] = (byte) (i * 7);
        }
        List<Point> centres = List.of(new Point(20, 30));
        PreparedSample s = pre.prepare(gray, centres);
        // An RGB model fed a gray file sees the gray level in all three channels.
        assertThat(s.image().sameAs(rgb.pipeline().apply(ColorConvert.grayToRgb(gray)))).isTrue();
        assertThat(s.mask().sameAs(rgb.pipeline().mask(80, 60, centres, 6))).isTrue();
        assertThat(s.mask().width()).isEqualTo(40);
    }

    @Test
    void invalidSettingsNameTheValue() {
        assertThatThrownBy(() -> new PreprocessConfig(true, 256, 256, 4, 0, 5, 2.0, 8, 8, 25, 0))
                .hasMessageContaining("Gaussian kernel").hasMessageContaining("4");
        assertThatThrownBy(() -> new PreprocessConfig(true, 8, 256, 5, 0, 5, 2.0, 8, 8, 25, 0))
                .hasMessageContaining("8x256");
    }
}
