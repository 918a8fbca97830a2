package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.ops.preprocess.Pipeline;
import dev.vnet.ops.preprocess.PreprocessConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Pipeline}, beside the filter tests whose random images and OpenCV fixtures it uses. */
class PipelineTest {
    @Test
    void paperDefaultsListTheStepsInTheMethodsOrder() {
        Pipeline p = PreprocessConfig.paper().pipeline();
        assertThat(p.toString()).isEqualTo("gray → resize(width=256, height=256, interpolation=LINEAR) → "
                + "gaussian(ksize=5, sigma=0.0) → median(ksize=5) → "
                + "clahe(clipLimit=2.0, tilesX=8, tilesY=8, colorMode=LAB_LIGHTNESS)");
        assertThat(p.steps()).extracting(s -> s.getClass().getSimpleName())
                .containsExactly("GrayStep", "ResizeStep", "GaussianStep", "MedianStep", "ClaheStep");
    }

    @Test
    void paperPipelineMatchesOpenCvOnARealSmear() throws Exception {
        Image8 rgb = OpenCvClaheMasksFixtureTest.read("bccd_crop2_rgb.ppm");
        Image8 out = PreprocessConfig.paper().pipeline().apply(rgb);
        OpenCvClaheMasksFixtureTest.assertSame(out, OpenCvClaheMasksFixtureTest.read("pipeline_paper_bccd_crop2.pgm"));
        assertThat(rgb.sameAs(OpenCvClaheMasksFixtureTest.read("bccd_crop2_rgb.ppm"))).as("input unchanged").isTrue();
    }

    @Test
    void builderUsesTheMethodsOrderWhateverTheCallOrder() {
        Pipeline a = Pipeline.builder().clahe(3.0, 4, 4).median(3).gaussian(0, 1.2).resize(64, 48, Resize.Interpolation.AREA)
                .gray().build();
        Pipeline b = Pipeline.of(new Pipeline.GrayStep(), new Pipeline.ResizeStep(64, 48, Resize.Interpolation.AREA),
                new Pipeline.GaussianStep(0, 1.2), new Pipeline.MedianStep(3), new Pipeline.ClaheStep(3.0, 4, 4));
        assertThat(a).isEqualTo(b);
        Image8 img = FilterPropertiesTest.random(90, 70, 3, 12);
        Image8 manual = Clahe.apply(MedianBlur.apply(GaussianBlur.apply(Resize.apply(ColorConvert.rgbToGray(img), 64, 48,
                Resize.Interpolation.AREA), 0, 1.2), 3), 3.0, 4, 4);
        assertThat(a.apply(img).sameAs(manual)).isTrue();
    }

    @Test
    void leftOutStepsAreLeftOutAndOfKeepsTheGivenOrder() {
        Pipeline onlyClahe = Pipeline.builder().clahe(2.0, 8, 8).build();
        assertThat(onlyClahe.steps()).hasSize(1);
        Image8 rgb = FilterPropertiesTest.random(40, 30, 3, 1);
        assertThat(onlyClahe.apply(rgb).sameAs(Clahe.apply(rgb, 2.0, 8, 8))).isTrue();
        Pipeline reversed = Pipeline.of(new Pipeline.MedianStep(3), new Pipeline.GrayStep());
        assertThat(reversed.toString()).isEqualTo("median(ksize=3) → gray");
        assertThat(reversed.apply(rgb).sameAs(ColorConvert.rgbToGray(MedianBlur.apply(rgb, 3)))).isTrue();
        Image8 copy = Pipeline.of().apply(rgb);
        assertThat(copy.sameAs(rgb)).isTrue();
        assertThat(copy.data()).isNotSameAs(rgb.data());
        assertThat(Pipeline.of().toString()).isEqualTo("(no steps)");
    }

    @Test
    void maskIsDrawnAtTheOriginalSizeThenResizedWithNearest() {
        List<Point> centres = List.of(new Point(100, 80), new Point(500, 300), new Point(5, 470));
        Image8 mask = PreprocessConfig.paper().pipeline().mask(640, 480, centres, 25);
        Image8 expected = Resize.apply(CircleMask.discs(640, 480, centres, 25), 256, 256, Resize.Interpolation.NEAREST);
        assertThat(mask.sameAs(expected)).isTrue();
        assertThat(mask.width()).isEqualTo(256);
        for (byte b : mask.data()) {
            assertThat(b & 0xFF).isIn(0, 255);
        }
        assertThat(Pipeline.builder().gray().build().mask(64, 48, centres, 3).sameAs(CircleMask.discs(64, 48, centres, 3)))
                .isTrue();
    }

    @Test
    void badStepParametersNameTheStepAndWhatIsAllowed() {
        assertThatThrownBy(() -> new Pipeline.MedianStep(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("median").hasMessageContaining("odd");
        assertThatThrownBy(() -> new Pipeline.GaussianStep(6, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gaussian").hasMessageContaining("ksize");
        assertThatThrownBy(() -> new Pipeline.GaussianStep(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both be 0");
        assertThatThrownBy(() -> new Pipeline.GaussianStep(5, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma");
        assertThatThrownBy(() -> new Pipeline.ResizeStep(0, 10, Resize.Interpolation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width and height");
        assertThatThrownBy(() -> new Pipeline.ClaheStep(-1, 8, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clipLimit");
        assertThatThrownBy(() -> Pipeline.builder().clahe(2.0, 0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tilesX");
    }
}
