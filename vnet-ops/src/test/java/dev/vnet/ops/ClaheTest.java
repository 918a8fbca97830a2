package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.parallel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClaheTest {
    // Random values around a random level with a random spread: from flat to full-range images.
    static Image8 randomGray(int w, int h, SplittableRandom r) {
        int level = r.nextInt(256);
        int spread = 1 + r.nextInt(256);
        byte[] d = new byte[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) Math.max(0, Math.min(255, level + r.nextInt(spread) - spread / 2));
        }
        return new Image8(w, h, 1, d);
    }

    @Test
    void fastEqualsNaiveReferenceOnRandomImagesAndParameters() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 120; i++) {
            int w = 1 + r.nextInt(i < 60 ? 20 : 90);
            int h = 1 + r.nextInt(i < 60 ? 20 : 90);
            int tx = 1 + r.nextInt(12);
            int ty = 1 + r.nextInt(12);
            double clip = r.nextInt(4) == 0 ? 0.0 : r.nextDouble() * 8;
            Image8 img = randomGray(w, h, r);
            assertThat(Clahe.apply(img, clip, tx, ty).sameAs(ClaheReference.apply(img, clip, tx, ty)))
                    .as("%dx%d clip %s tiles %dx%d", w, h, clip, tx, ty).isTrue();
        }
    }

    @Test
    void constantImageStaysConstantAndWithoutClippingBecomesWhite() {
        for (int v : new int[] {0, 1, 77, 128, 254, 255}) {
            Image8 img = new Image8(37, 29, 1);
            java.util.Arrays.fill(img.data(), (byte) v);
            Image8 noClip = Clahe.apply(img, 0.0, 4, 3);
            // Without clipping every tile's cumulative histogram is the whole tile at v: 255.
            assertThat(distinct(noClip)).containsExactly(255);
            for (double clip : new double[] {1.0, 2.0, 40.0}) {
                assertThat(distinct(Clahe.apply(img, clip, 8, 8))).as("v=%d clip=%s", v, clip).hasSize(1);
            }
        }
    }

    @Test
    void clippedConstantImageMapsHigherLevelsNoLower() {
        int previous = -1;
        for (int v = 0; v < 256; v++) {
            Image8 img = new Image8(16, 16, 1);
            java.util.Arrays.fill(img.data(), (byte) v);
            int out = Clahe.apply(img, 2.0, 2, 2).get(0, 0, 0);
            assertThat(out).isGreaterThanOrEqualTo(previous);
            previous = out;
        }
    }

    @Test
    void redistributionKeepsTheTileArea() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            int[] hist = new int[256];
            int area = 1 + r.nextInt(5000);
            for (int k = 0; k < area; k++) {
                hist[r.nextInt(1 + r.nextInt(256))]++;
            }
            int clip = 1 + r.nextInt(60);
            Clahe.clipAndRedistribute(hist, clip);
            assertThat(java.util.Arrays.stream(hist).sum()).isEqualTo(area);
        }
    }

    @Test
    void multithreadedEqualsSingleThreaded() {
        SplittableRandom r = new SplittableRandom(11);
        Image8 gray = randomGray(640, 500, r); // 320k pixels: several bands
        Image8 rgb = FilterPropertiesTest.random(420, 330, 3, 5);
        WorkerPool single = WorkerPool.of(1);
        Image8 g1 = single.call(() -> Clahe.apply(gray, 2.0, 8, 8));
        Image8 c1 = single.call(() -> Clahe.apply(rgb, 3.0, 7, 5, Clahe.ColorMode.LAB_LIGHTNESS));
        Image8 e1 = single.call(() -> Clahe.apply(rgb, 1.5, 8, 8, Clahe.ColorMode.EACH_CHANNEL));
        for (int t : new int[] {2, 3, 8}) {
            try (WorkerPool pool = WorkerPool.of(t)) {
                pool.run(() -> {
                    assertThat(Clahe.apply(gray, 2.0, 8, 8).sameAs(g1)).as("gray, %d threads", t).isTrue();
                    assertThat(Clahe.apply(rgb, 3.0, 7, 5, Clahe.ColorMode.LAB_LIGHTNESS).sameAs(c1)).isTrue();
                    assertThat(Clahe.apply(rgb, 1.5, 8, 8, Clahe.ColorMode.EACH_CHANNEL).sameAs(e1)).isTrue();
                });
            }
        }
    }

    @Test
    void colourModesAgreeWithTheirDefinitions() {
        Image8 rgb = FilterPropertiesTest.random(45, 31, 3, 9);
        Image8 each = Clahe.apply(rgb, 2.0, 3, 3, Clahe.ColorMode.EACH_CHANNEL);
        Image8 lab = ColorConvert.rgbToLab(rgb);
        for (int ch = 0; ch < 3; ch++) {
            Image8 plane = plane(rgb, ch);
            assertThat(plane(each, ch).sameAs(Clahe.apply(plane, 2.0, 3, 3))).isTrue();
        }
        Image8 eqL = Clahe.apply(plane(lab, 0), 2.0, 3, 3);
        for (int i = 0; i < eqL.data().length; i++) {
            lab.data()[i * 3] = eqL.data()[i];
        }
        assertThat(Clahe.apply(rgb, 2.0, 3, 3).sameAs(ColorConvert.labToRgb(lab))).isTrue();
    }

    @Test
    void inputIsNotChanged() {
        Image8 img = randomGray(50, 40, new SplittableRandom(1));
        Image8 before = img.copy();
        Clahe.apply(img, 2.0, 8, 8);
        assertThat(img.sameAs(before)).isTrue();
    }

    @Test
    void badParametersAreRejectedWithTheParameterAndWhatIsAllowed() {
        Image8 img = new Image8(8, 8, 1);
        assertThatThrownBy(() -> Clahe.apply(img, -0.5, 8, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clipLimit").hasMessageContaining(">= 0").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> Clahe.apply(img, Double.NaN, 8, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clipLimit");
        assertThatThrownBy(() -> Clahe.apply(img, 2.0, 0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tilesX").hasMessageContaining(">= 1").hasMessageContaining("(0, 8)");
        assertThatThrownBy(() -> Clahe.apply(img, 2.0, 8, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tilesY");
        assertThatThrownBy(() -> Clahe.apply(img, 2.0, 8, 8, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode");
    }

    @Test
    void imagesWithTwoOrFourChannelsCannotExist() {
        for (int ch : new int[] {2, 4}) {
            assertThatThrownBy(() -> new Image8(4, 4, ch)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ch + " channels").hasMessageContaining("1 or 3");
            assertThatThrownBy(() -> new Image8(4, 4, ch, new byte[16 * ch]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 or 3");
        }
    }

    @Test
    void reflect101MatchesOpenCvBorderInterpolate() {
        // len 4: ... 2 1 | 0 1 2 3 | 2 1 0 1 2 3 2 ...
        int[] expected = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2};
        for (int p = 0; p < expected.length; p++) {
            assertThat(Borders.reflect101(p, 4)).isEqualTo(expected[p]);
        }
        assertThat(Borders.reflect101(-1, 4)).isEqualTo(1);
        assertThat(Borders.reflect101(9, 1)).isZero();
    }

    static Image8 plane(Image8 img, int ch) {
        Image8 p = new Image8(img.width(), img.height(), 1);
        for (int i = 0; i < p.data().length; i++) {
            p.data()[i] = img.data()[i * img.channels() + ch];
        }
        return p;
    }

    private static java.util.Set<Integer> distinct(Image8 img) {
        java.util.Set<Integer> s = new java.util.TreeSet<>();
        for (byte b : img.data()) {
            s.add(b & 0xFF);
        }
        return s;
    }
}
