package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Vector API implementations of {@link VectorFilters} held to the scalar code and the naive references, on
 * random images whose rows are shorter than, exactly, and a little more than one or several vectors (the last
 * vector step of a row overlaps the one before), and of 1 to 7 rows (the border rows). This module's tests run
 * with {@code --add-modules jdk.incubator.vector}; a second run of this class (and the OpenCV fixtures) sets
 * {@code vnet.ops.vector=false}, under which the operations must take the scalar code.
 */
class VectorFiltersTest {
    private static final VectorFilters VECTOR = VectorFilters.available();

    /** Row lengths in samples: around one 256-bit vector of bytes (32), two, and a 512-bit one. */
    private static final int[] ROW_SAMPLES = {31, 32, 33, 47, 63, 64, 65, 96, 97, 129, 200};

    @Test
    void theVectorCodeIsUsedUnlessThePropertySaysFalse() {
        assertThat(VECTOR).as("jdk.incubator.vector in the test JVM (surefire's argLine)").isNotNull();
        boolean off = "false".equalsIgnoreCase(System.getProperty(VectorFilters.PROPERTY, "").trim());
        assertThat(VectorFilters.active() == null).as("scalar code under %s=%s", VectorFilters.PROPERTY,
                System.getProperty(VectorFilters.PROPERTY)).isEqualTo(off);
    }

    @Test
    void vectorMedianEqualsScalarAndNaiveMedian() {
        long seed = 1;
        for (int k : new int[] {3, 5}) {
            UnaryOperator<Image8> vector = k == 3 ? VECTOR::median3 : VECTOR::median5;
            for (int cn : new int[] {1, 3}) {
                for (int samples : ROW_SAMPLES) {
                    int w = Math.max(1, samples / cn);
                    for (int h : new int[] {1, 2, 3, 4, 7}) {
                        Image8 a = FilterPropertiesTest.random(w, h, cn, seed++);
                        Image8 b = FilterPropertiesTest.randomFewLevels(w, h, cn, seed++);
                        for (Image8 img : new Image8[] {a, b}) {
                            Image8 out = vector.apply(img);
                            // rows shorter than one vector (32 bytes with AVX2) are left to the scalar code
                            assertThat(out == null).as("k=%d %s: not handled", k, img)
                                    .isEqualTo(!MedianVectorRows.fits(w * cn));
                            if (out == null) {
                                continue;
                            }
                            assertThat(out.sameAs(MedianBlur.naive(img, k))).as("vector k=%d %s", k, img).isTrue();
                            assertThat(out.sameAs(MedianBlur.networkMethod(img, k))).as("scalar k=%d %s", k, img)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorGaussianEqualsScalarAndNaiveGaussian() {
        // 3 with sigma 1.3, 7 and 15 are not binomial tables, so GaussianBlur.apply takes this code for them;
        // the binomial 5 with sigma 0 checks the 16-bit split on another kernel
        int[][] sizes = {{3, 3}, {7, 7}, {15, 15}, {5, 5}, {15, 3}, {1, 9}, {9, 1}};
        double[] sigmas = {1.3, 0, 0, 0, 2.5, 0, 1.1};
        long seed = 500;
        for (int t = 0; t < sizes.length; t++) {
            int kxSize = sizes[t][0];
            int kySize = sizes[t][1];
            int[] kx = GaussianBlur.fixedPointKernel(kxSize, sigmas[t]);
            int[] ky = GaussianBlur.fixedPointKernel(kySize, sigmas[t]);
            for (int cn : new int[] {1, 3}) {
                for (int samples : ROW_SAMPLES) {
                    int w = Math.max(1, samples / cn);
                    for (int h : new int[] {1, 2, 5, 9}) {
                        Image8 img = FilterPropertiesTest.random(w, h, cn, seed++);
                        double sigma = sigmas[t];
                        assertGaussian(img, (src, out) -> VECTOR.gaussian(src, out, kx, ky),
                                (src, out) -> GaussianSeparable.apply(src, out, kx, ky),
                                GaussianNaive.apply(img, kxSize, kySize, sigma, sigma),
                                String.format("%dx%d sigma %s", kxSize, kySize, sigma));
                    }
                }
            }
        }
    }

    @Test
    void vectorBinomialGaussianEqualsScalarAndNaiveGaussian() {
        // OpenCV's fixed tables (sigma 0): every combination of lengths 1, 3 and 5 along the two directions
        int[] lengths = {1, 3, 5};
        long seed = 700;
        for (int kxSize : lengths) {
            for (int kySize : lengths) {
                for (int cn : new int[] {1, 3}) {
                    for (int samples : ROW_SAMPLES) {
                        int w = Math.max(1, samples / cn);
                        for (int h = 1; h <= 9; h += kxSize == 5 && kySize == 5 ? 1 : 4) {
                            Image8 img = FilterPropertiesTest.random(w, h, cn, seed++);
                            assertGaussian(img, (src, out) -> VECTOR.gaussianBinomial(src, out, kxSize, kySize),
                                    (src, out) -> GaussianBinomial.apply(src, out, kxSize, kySize),
                                    GaussianNaive.apply(img, kxSize, kySize, 0, 0), kxSize + "x" + kySize);
                        }
                    }
                }
            }
        }
    }

    // The vector blur of img (false: not handled, which it must be exactly when the rows are shorter than its
    // steps) held to the scalar code and the naive reference
    private static void assertGaussian(Image8 img, BiPredicate<Image8, Image8> vector,
                                       BiConsumer<Image8, Image8> scalar, Image8 naive, String kernel) {
        Image8 out = new Image8(img.width(), img.height(), img.channels());
        boolean done = vector.test(img, out);
        assertThat(done).as("%s %s: handled", kernel, img)
                .isEqualTo(GaussianVectorRows.fits(img.width() * img.channels()));
        if (done) {
            Image8 expected = new Image8(img.width(), img.height(), img.channels());
            scalar.accept(img, expected);
            assertThat(out.sameAs(expected)).as("scalar %s %s", kernel, img).isTrue();
            assertThat(out.sameAs(naive)).as("naive %s %s", kernel, img).isTrue();
        }
    }

    @Test
    void vectorGrayEqualsScalarAndNaiveGray() {
        long seed = 900;
        for (int w : ROW_SAMPLES) {
            for (int h = 1; h <= 9; h++) {
                Image8 img = FilterPropertiesTest.random(w, h, 3, seed++);
                byte[] s = img.data();
                int n = w * h;
                byte[] naive = new byte[n];
                ColorConvert.rgbToGrayNaive(s, naive, 0, n);
                byte[] scalar = new byte[n];
                GrayFromRgb.convert(s, scalar, 0, n);
                assertThat(scalar).as("scalar %s", img).isEqualTo(naive);
                // the whole image, and a band that starts and ends inside rows (as RowBands' bands of other widths),
                // written at the same place and 3 pixels further on (a destination of other rows)
                for (int[] range : new int[][] {{0, n}, {w / 3, n - 1}, {1, Math.min(n, 40)}}) {
                    int count = range[1] - range[0];
                    for (int to : new int[] {range[0], range[0] + 3}) {
                        byte[] expected = new byte[n + 3];
                        System.arraycopy(naive, range[0], expected, to, count);
                        byte[] vector = new byte[n + 3];
                        boolean done = VECTOR.rgbToGray(s, range[0], vector, to, count);
                        String what = String.format("%s pixels %d..%d to %d", img, range[0], range[1], to);
                        assertThat(done).as("%s: handled", what).isEqualTo(count >= GrayFromRgbVector.minPixels());
                        if (done) {
                            assertThat(vector).as(what).isEqualTo(expected);
                        }
                        byte[] scalarRange = new byte[n + 3];
                        GrayFromRgb.convert(s, range[0], scalarRange, to, count);
                        assertThat(scalarRange).as("scalar %s", what).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void vectorLinearDownscaleEqualsScalarAndNaiveResize() {
        long seed = 1200;
        for (int cn : new int[] {1, 3}) {
            for (int samples : ROW_SAMPLES) {
                int dw = Math.max(1, samples / cn);
                for (int dh = 1; dh <= 9; dh++) {
                    // source heights from 2x to over 10x the destination; widths from 1 pixel (an upscale along x)
                    // to 10x
                    for (int[] factor : new int[][] {{2, 2}, {3, 5}, {7, 10}, {1, 2}, {0, 3}}) {
                        int sw = dw * factor[0] + factor[0] + 1;
                        int sh = dh * factor[1] + (dh % 3);
                        Image8 src = FilterPropertiesTest.random(sw, sh, cn, seed++);
                        double invX = (double) dw / sw;
                        double invY = (double) dh / sh;
                        Image8 vector = new Image8(dw, dh, cn);
                        ResizeLinear.apply(src, vector, 1 / invX, 1 / invY, invX, invY, false, VECTOR);
                        Image8 scalar = new Image8(dw, dh, cn);
                        ResizeLinear.apply(src, scalar, 1 / invX, 1 / invY, invX, invY, false, null);
                        String what = src + " -> " + dw + "x" + dh;
                        assertThat(scalar.sameAs(ResizeNaive.apply(src, dw, dh, Resize.Interpolation.LINEAR)))
                                .as("scalar %s", what).isTrue();
                        assertThat(vector.sameAs(scalar)).as("vector %s", what).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void vectorHalfSizeKeepsTheSameBytesAsTheScalarPass() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(77);
        for (int pixels : new int[] {4, 12, 16, 20, 28, 32, 36, 64, 68, 100, 132, ResizeHalfRgb.CHUNK_PIXELS}) {
            int[] means = new int[pixels * 6 / 4];
            for (int i = 0; i < means.length; i++) {
                means[i] = r.nextInt();
            }
            int o = 5;
            byte[] vector = new byte[o + 3 * pixels + 7];
            byte[] scalar = vector.clone();
            boolean done = VECTOR.keepPixelStarts(means, vector, o, pixels);
            assertThat(done).as("%d pixels: handled", pixels).isEqualTo(pixels >= ResizeHalfVector.minPixels());
            if (done) {
                ResizeHalfRgb.keepPixelStarts(means, scalar, o, pixels / 4);
                assertThat(vector).as("%d pixels", pixels).isEqualTo(scalar);
            }
        }
    }

    @Test
    void vectorMedianEqualsScalarMedianOnRowsOfSeveralChunks() {
        // ksize 5 cuts a row into chunks of 1152 samples; a last chunk shorter than a vector overlaps the one before
        long seed = 300;
        for (int samples : new int[] {1151, 1152, 1153, 1170, 1183, 2305, 3457}) {
            for (int cn : new int[] {1, 3}) {
                Image8 img = FilterPropertiesTest.random(samples / cn, 4, cn, seed++);
                assertThat(VECTOR.median5(img).sameAs(MedianBlur.networkMethod(img, 5))).as("%s", img).isTrue();
                assertThat(VECTOR.median3(img).sameAs(MedianBlur.networkMethod(img, 3))).as("%s", img).isTrue();
            }
        }
    }

    @Test
    void vectorFiltersOfExtremeValuesAreUnsigned() {
        // 0, 127, 128 and 255 are where a signed byte compare would go wrong without the flip of the top bit
        byte[] levels = {0, 127, (byte) 128, (byte) 255, 1, (byte) 254};
        Image8 img = new Image8(40, 6, 3);
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = levels[r.nextInt(levels.length)];
        }
        assertThat(VECTOR.median3(img).sameAs(MedianBlur.naive(img, 3))).isTrue();
        assertThat(VECTOR.median5(img).sameAs(MedianBlur.naive(img, 5))).isTrue();
        // all 255: the largest sums of the Gaussian's 16-bit lanes
        java.util.Arrays.fill(img.data(), (byte) 255);
        Image8 out = new Image8(40, 6, 3);
        assertThat(VECTOR.gaussian(img, out, GaussianBlur.fixedPointKernel(15, 0), GaussianBlur.fixedPointKernel(7, 0)))
                .isTrue();
        assertThat(out.sameAs(img)).isTrue();
        Image8 binomial = new Image8(40, 6, 3);
        assertThat(VECTOR.gaussianBinomial(img, binomial, 5, 5)).isTrue();
        assertThat(binomial.sameAs(img)).isTrue();
    }
}
