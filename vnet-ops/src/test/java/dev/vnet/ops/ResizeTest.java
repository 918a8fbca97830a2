package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.ops.Resize.Interpolation;
import dev.vnet.ops.Resize.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every path of {@link Resize} held to {@link ResizeNaive} on random images; the area paths held to each other. */
class ResizeTest {

    /** Source and destination sizes (sw, sh, dw, dh) and the path each takes. */
    private static final Object[][] CASES = {
        {40, 30, 40, 30, Interpolation.LINEAR, Path.COPY},
        {37, 29, 256, 256, Interpolation.NEAREST, Path.NEAREST},
        {37, 29, 10, 7, Interpolation.NEAREST, Path.NEAREST},
        {40, 30, 20, 15, Interpolation.AREA, Path.AREA_INTEGER},       // 2×2 blocks
        {40, 30, 20, 15, Interpolation.LINEAR, Path.AREA_INTEGER},     // exactly half size: the 2×2 mean
        {45, 36, 15, 12, Interpolation.AREA, Path.AREA_INTEGER},       // 3×3 blocks
        {48, 30, 12, 10, Interpolation.AREA, Path.AREA_INTEGER},       // 4×3 blocks
        {41, 31, 20, 15, Interpolation.AREA, Path.AREA_FRACTIONAL},    // just over 2
        {101, 77, 30, 23, Interpolation.AREA, Path.AREA_FRACTIONAL},
        {64, 50, 64, 21, Interpolation.AREA, Path.AREA_FRACTIONAL},    // same width, height down
        {30, 20, 77, 51, Interpolation.AREA, Path.AREA_UPSCALE},
        {60, 20, 25, 51, Interpolation.AREA, Path.AREA_UPSCALE},       // down along x, up along y
        {101, 77, 64, 48, Interpolation.LINEAR, Path.LINEAR},
        {33, 25, 80, 61, Interpolation.LINEAR, Path.LINEAR},
        {1, 9, 5, 4, Interpolation.LINEAR, Path.LINEAR},               // one column
    };

    @Test
    void everyPathEqualsTheNaiveResize() {
        Set<Path> seen = EnumSet.noneOf(Path.class);
        long seed = 1;
        for (Object[] c : CASES) {
            int sw = (int) c[0], sh = (int) c[1], dw = (int) c[2], dh = (int) c[3];
            Interpolation interpolation = (Interpolation) c[4];
            assertThat(Resize.path(sw, sh, dw, dh, interpolation)).as("%dx%d -> %dx%d %s", sw, sh, dw, dh, interpolation)
                    .isEqualTo(c[5]);
            seen.add((Path) c[5]);
            for (int cn : new int[] {1, 3}) {
                for (Image8 src : new Image8[] {FilterPropertiesTest.random(sw, sh, cn, seed++),
                        FilterPropertiesTest.randomFewLevels(sw, sh, cn, seed++)}) {
                    Image8 fast = Resize.apply(src, dw, dh, interpolation);
                    Image8 naive = ResizeNaive.apply(src, dw, dh, interpolation);
                    assertThat(fast.sameAs(naive)).as("%s %dx%dx%d -> %dx%d", c[5], sw, sh, cn, dw, dh).isTrue();
                }
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(Path.class));
    }

    @Test
    void randomSizesEqualTheNaiveResize() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            int sw = 1 + r.nextInt(70), sh = 1 + r.nextInt(70), dw = 1 + r.nextInt(70), dh = 1 + r.nextInt(70);
            Interpolation interpolation = Interpolation.values()[r.nextInt(3)];
            Image8 src = FilterPropertiesTest.random(sw, sh, r.nextBoolean() ? 1 : 3, r.nextLong());
            Image8 fast = Resize.apply(src, dw, dh, interpolation);
            assertThat(fast.sameAs(ResizeNaive.apply(src, dw, dh, interpolation)))
                    .as("%s %dx%d -> %dx%d", Resize.path(sw, sh, dw, dh, interpolation), sw, sh, dw, dh).isTrue();
        }
    }

    @Test
    void halfSizeRgbRowsEqualTheNaiveResize() {
        // destination widths around the groups of 4 pixels and the chunks of the vectorised RGB rows
        int chunk = ResizeHalfRgb.CHUNK_PIXELS;
        int[] widths = {1, 2, 3, 4, 5, 7, 8, 9, 12, chunk - 1, chunk, chunk + 1, chunk + 4, 2 * chunk + 3};
        long seed = 11;
        for (int dw : widths) {
            for (int dh : new int[] {1, 2, 3}) {
                for (int cn : new int[] {1, 3}) {
                    for (Image8 src : new Image8[] {FilterPropertiesTest.random(2 * dw, 2 * dh, cn, seed++),
                            FilterPropertiesTest.randomFewLevels(2 * dw, 2 * dh, cn, seed++)}) {
                        for (Interpolation interpolation : new Interpolation[] {Interpolation.LINEAR, Interpolation.AREA}) {
                            Image8 fast = Resize.apply(src, dw, dh, interpolation);
                            assertThat(fast.sameAs(ResizeNaive.apply(src, dw, dh, interpolation)))
                                    .as("%dx%dx%d -> %dx%d %s", 2 * dw, 2 * dh, cn, dw, dh, interpolation).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void linearDownscalesWithoutTheRowCacheEqualTheNaiveResize() {
        // source at least twice the destination's height: each destination row from its two source rows directly
        int[][] sizes = {{1, 2, 1, 1}, {3, 9, 1, 4}, {7, 20, 3, 10}, {31, 64, 5, 7}, {2592, 40, 256, 20},
            {60, 61, 59, 30}, {9, 100, 20, 3}};
        long seed = 21;
        for (int[] z : sizes) {
            for (int cn : new int[] {1, 3}) {
                Image8 src = FilterPropertiesTest.random(z[0], z[1], cn, seed++);
                Image8 fast = Resize.apply(src, z[2], z[3], Interpolation.LINEAR);
                assertThat(fast.sameAs(ResizeNaive.apply(src, z[2], z[3], Interpolation.LINEAR)))
                        .as("%dx%dx%d -> %dx%d", z[0], z[1], cn, z[2], z[3]).isTrue();
            }
        }
    }

    @Test
    void integerAreaFactorsAgreeWithTheFractionalWeightsToOneLevel() {
        // the two area paths are two roundings of the same mean: integer sums and float weights
        for (int[] f : new int[][] {{2, 2}, {3, 3}, {4, 2}, {5, 3}}) {
            Image8 src = FilterPropertiesTest.random(f[0] * 13, f[1] * 11, 3, f[0] * 10L + f[1]);
            Image8 integer = new Image8(13, 11, 3);
            Image8 fractional = new Image8(13, 11, 3);
            ResizeArea.integerFactor(src, integer, f[0], f[1]);
            ResizeNaive.areaFractional(src, fractional);
            for (int i = 0; i < integer.data().length; i++) {
                assertThat(Math.abs((integer.data()[i] & 0xFF) - (fractional.data()[i] & 0xFF)))
                        .as("%dx%d blocks, sample %d", f[0], f[1], i).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void nearestResizeOnlyCopiesSourceValues() {
        Image8 mask = FilterPropertiesTest.randomFewLevels(37, 29, 1, 4);
        for (int[] s : new int[][] {{256, 256}, {10, 7}, {37, 90}}) {
            Image8 out = Resize.apply(mask, s[0], s[1], Resize.Interpolation.NEAREST);
            for (byte b : out.data()) {
                assertThat((b & 0xFF) % 85).isZero();
            }
        }
    }

    @Test
    void grayThenApplyEqualsResizingTheGrayImage() {
        // LINEAR downscales to at most half the height (rows converted one by one, 1 to 9 destination rows, rows
        // shorter and longer than a vector step), the other paths, and gray input
        SplittableRandom r = new SplittableRandom(11);
        int[][] sizes = {{70, 40, 9, 9}, {200, 90, 33, 9}, {31, 5, 7, 2}, {300, 61, 97, 20}, {64, 20, 64, 1},
            {40, 30, 20, 15}, {101, 77, 64, 48}, {33, 25, 80, 61}, {45, 36, 15, 12}};
        for (int[] z : sizes) {
            for (int dh = 1; dh <= z[3]; dh += Math.max(1, z[3] / 3)) {
                for (Interpolation interpolation : Interpolation.values()) {
                    for (int cn : new int[] {3, 1}) {
                        Image8 src = FilterPropertiesTest.random(z[0], z[1], cn, r.nextLong());
                        Image8 expected = Resize.apply(ColorConvert.toGray(src), z[2], dh, interpolation);
                        assertThat(Resize.grayThenApply(src, z[2], dh, interpolation).sameAs(expected))
                                .as("%s %dx%dx%d -> %dx%d", interpolation, z[0], z[1], cn, z[2], dh).isTrue();
                    }
                }
            }
        }
    }
}
