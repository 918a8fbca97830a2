package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.parallel.WorkerPool;
import org.junit.jupiter.api.Test;

class ColorConvertTest {
    @Test
    void grayOfAGrayColourIsThatGray() {
        Image8 rgb = new Image8(256, 1, 3);
        for (int v = 0; v < 256; v++) {
            rgb.set(v, 0, 0, v);
            rgb.set(v, 0, 1, v);
            rgb.set(v, 0, 2, v);
        }
        Image8 gray = ColorConvert.rgbToGray(rgb);
        for (int v = 0; v < 256; v++) {
            assertThat(gray.get(v, 0, 0)).isEqualTo(v);
        }
        assertThat(ColorConvert.rgbToGray(ColorConvert.grayToRgb(gray)).sameAs(gray)).isTrue();
    }

    @Test
    void grayWeightsGreenMostAndBlueLeast() {
        Image8 rgb = new Image8(3, 1, 3);
        rgb.set(0, 0, 0, 255);
        rgb.set(1, 0, 1, 255);
        rgb.set(2, 0, 2, 255);
        Image8 g = ColorConvert.rgbToGray(rgb);
        assertThat(g.get(1, 0, 0)).isGreaterThan(g.get(0, 0, 0));
        assertThat(g.get(0, 0, 0)).isGreaterThan(g.get(2, 0, 0));
    }

    @Test
    void toGrayCopiesGrayInput() {
        Image8 g = FilterPropertiesTest.random(5, 4, 1, 1);
        Image8 c = ColorConvert.toGray(g);
        assertThat(c.sameAs(g)).isTrue();
        assertThat(c.data()).isNotSameAs(g.data());
    }

    @Test
    void labTablesAreMonotone() {
        ColorConvert.LabTables t = ColorConvert.LabTables.INSTANCE;
        assertThat(t.srgbGamma[0]).isZero();
        assertThat(t.srgbGamma[255]).isEqualTo(255 * 8);
        assertThat(t.srgbInvGamma[0]).isZero();
        assertThat(t.srgbInvGamma[4095]).isEqualTo(255);
        assertNonDecreasing(t.srgbGamma);
        assertNonDecreasing(t.srgbInvGamma);
        assertNonDecreasing(t.cbrt);
        assertNonDecreasing(t.labToY);
        assertNonDecreasing(t.labToFy);
        assertNonDecreasing(t.abToXz);
    }

    @Test
    void openCvCubeRootIsWithinTwoUlpsOfTheTrueOne() {
        for (int i = 1; i < 200_000; i++) {
            float x = i * 1.37e-5f;
            float got = ColorConvert.LabTables.cbrtf(x);
            double exact = Math.cbrt(x);
            assertThat(Math.abs(got - exact)).as("cbrt(%s)", x).isLessThanOrEqualTo(2 * Math.ulp((float) exact));
        }
        assertThat(ColorConvert.LabTables.cbrtf(0f)).isZero();
        assertThat(ColorConvert.LabTables.cbrtf(8f)).isEqualTo(2f);
    }

    @Test
    void blackAndWhiteHaveNeutralLab() {
        Image8 rgb = new Image8(2, 1, 3);
        rgb.set(1, 0, 0, 255);
        rgb.set(1, 0, 1, 255);
        rgb.set(1, 0, 2, 255);
        Image8 lab = ColorConvert.rgbToLab(rgb);
        assertThat(new int[] {lab.get(0, 0, 0), lab.get(0, 0, 1), lab.get(0, 0, 2)}).containsExactly(0, 128, 128);
        assertThat(new int[] {lab.get(1, 0, 0), lab.get(1, 0, 1), lab.get(1, 0, 2)}).containsExactly(255, 128, 128);
        assertThat(ColorConvert.labToRgb(lab).sameAs(rgb)).isTrue();
    }

    @Test
    void multithreadedEqualsSingleThreaded() {
        Image8 rgb = FilterPropertiesTest.random(401, 377, 3, 21);
        WorkerPool single = WorkerPool.of(1);
        Image8 gray = single.call(() -> ColorConvert.rgbToGray(rgb));
        Image8 lab = single.call(() -> ColorConvert.rgbToLab(rgb));
        Image8 back = single.call(() -> ColorConvert.labToRgb(rgb));
        try (WorkerPool three = WorkerPool.of(3)) {
            three.run(() -> {
                assertThat(ColorConvert.rgbToGray(rgb).sameAs(gray)).isTrue();
                assertThat(ColorConvert.rgbToLab(rgb).sameAs(lab)).isTrue();
                assertThat(ColorConvert.labToRgb(rgb).sameAs(back)).isTrue();
            });
        }
    }

    @Test
    void wrongChannelCountsAreRejectedWithWhatIsExpected() {
        Image8 gray = new Image8(3, 3, 1);
        Image8 rgb = new Image8(3, 3, 3);
        assertThatThrownBy(() -> ColorConvert.rgbToGray(gray)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rgbToGray").hasMessageContaining("1 channels").hasMessageContaining("expected 3");
        assertThatThrownBy(() -> ColorConvert.rgbToLab(gray)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3");
        assertThatThrownBy(() -> ColorConvert.labToRgb(gray)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3");
        assertThatThrownBy(() -> ColorConvert.grayToRgb(rgb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grayToRgb").hasMessageContaining("expected 1");
    }

    private static void assertNonDecreasing(int[] a) {
        for (int i = 1; i < a.length; i++) {
            assertThat(a[i]).as("index %d", i).isGreaterThanOrEqualTo(a[i - 1]);
        }
    }
}
