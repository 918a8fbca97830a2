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
    void grayFourPixelsAtATimeEqualsOnePixelAtATime() {
        int chunk = GrayFromRgb.CHUNK_PIXELS;
        int[] widths = {1, 2, 3, 4, 5, 7, 8, 9, 13, 31, chunk - 1, chunk, chunk + 1, chunk + 3, 2 * chunk + 5};
        int[] heights = {1, 2, 3};
        long seed = 0;
        for (int w : widths) {
            for (int h : heights) {
                Image8 rgb = FilterPropertiesTest.random(w, h, 3, ++seed);
                byte[] expected = new byte[w * h];
                ColorConvert.rgbToGrayNaive(rgb.data(), expected, 0, w * h);
                assertThat(ColorConvert.rgbToGray(rgb).data()).as("%dx%d", w, h).isEqualTo(expected);
                // a band that starts and ends off a multiple of 4 pixels, as RowBands hands out
                byte[] band = new byte[w * h];
                GrayFromRgb.convert(rgb.data(), band, w * h / 3, w * h - 1);
                for (int i = w * h / 3; i < w * h - 1; i++) {
                    assertThat(band[i]).as("%dx%d pixel %d", w, h, i).isEqualTo(expected[i]);
                }
            }
        }
    }

    @Test
    void grayFourPixelsAtATimeOfEveryColour() {
        // all 2^24 colours in a 4096 x 4096 image, R G B = the bytes of the pixel index
        int n = 1 << 24;
        byte[] rgb = new byte[3 * n];
        for (int p = 0; p < n; p++) {
            rgb[3 * p] = (byte) (p >>> 16);
            rgb[3 * p + 1] = (byte) (p >>> 8);
            rgb[3 * p + 2] = (byte) p;
        }
        byte[] expected = new byte[n];
        ColorConvert.rgbToGrayNaive(rgb, expected, 0, n);
        byte[] fast = new byte[n];
        GrayFromRgb.convert(rgb, fast, 0, n);
        assertThat(fast).isEqualTo(expected);
        // and the Vector API code (whether or not the operations use it in this run)
        byte[] vector = new byte[n];
        assertThat(VectorFilters.available().rgbToGray(rgb, 0, vector, 0, n)).isTrue();
        assertThat(vector).isEqualTo(expected);
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
    void hsvIsOpenCvs() {
        // {R, G, B, H, S, V}: cv2.cvtColor(..., cv2.COLOR_RGB2HSV) of OpenCV 4.6 on primaries, ties and random colours
        // (the conversion was also compared with OpenCV on all 2^24 colours, with no difference).
        int[][] reference = {
            {0,0,0,0,0,0}, {255,255,255,0,0,255}, {255,0,0,0,255,255}, {0,255,0,60,255,255}, {0,0,255,120,255,255},
            {128,64,200,134,173,200}, {200,64,128,166,173,200}, {10,11,12,105,43,12}, {118,4,87,158,246,118}, {161,124,71,18,143,161},
            {42,73,237,115,210,237}, {16,194,250,97,239,250}, {10,103,206,106,243,206}, {13,143,2,58,251,143}, {38,71,133,110,182,133},
            {118,36,98,157,177,118}, {196,35,57,176,209,196}, {146,50,179,142,184,179}, {145,104,206,132,126,206}, {53,141,33,54,195,141},
            {181,39,151,156,200,181}, {11,180,138,83,239,180}, {66,0,165,132,255,165}, {98,123,12,37,230,123}, {144,184,24,38,222,184},
            {38,129,1,51,253,129}, {202,255,85,39,170,255}, {54,228,48,59,201,228}, {127,169,1,37,253,169}, {167,109,247,133,142,247},
            {16,192,78,71,234,192}, {220,8,60,173,246,220}, {189,181,64,28,169,189}, {72,8,185,131,244,185}, {88,111,191,113,138,191},
            {138,99,67,14,131,138}, {48,68,100,108,133,100}, {249,67,40,4,214,249}, {127,45,33,4,189,127}, {51,206,229,94,198,229}};
        Image8 rgb = new Image8(reference.length, 1, 3);
        for (int i = 0; i < reference.length; i++) {
            for (int c = 0; c < 3; c++) {
                rgb.set(i, 0, c, reference[i][c]);
            }
        }
        Image8 hsv = ColorConvert.rgbToHsv(rgb);
        for (int i = 0; i < reference.length; i++) {
            assertThat(new int[] {hsv.get(i, 0, 0), hsv.get(i, 0, 1), hsv.get(i, 0, 2)}).as("HSV of colour %d", i)
                    .containsExactly(reference[i][3], reference[i][4], reference[i][5]);
        }
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
