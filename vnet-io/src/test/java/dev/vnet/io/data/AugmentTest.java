package dev.vnet.io.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Rng;
import dev.vnet.ops.Image8;
import dev.vnet.ops.preprocess.PreparedSample;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentTest {
    /** A w x h RGB image whose pixel (x, y) holds (x, y, 100), and a mask with the single pixel (mx, my) set. */
    private static PreparedSample marked() {
        return marked(7, 5, 5, 1);
    }

    private static PreparedSample marked(int w, int h, int mx, int my) {
        Image8 img = new Image8(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, 0, x);
                img.set(x, y, 1, y);
                img.set(x, y, 2, 100);
            }
        }
        Image8 mask = new Image8(w, h, 1);
        mask.set(mx, my, 0, 255);
        return new PreparedSample(img, mask);
    }

    @Test
    void geometryMovesImageAndMaskTogether() {
        // All eight flips/rotations occur on a square image, putting the marked pixel in eight places.
        assertThat(placesOfTheMarkedPixel(7, 7, 5, 2)).hasSize(8);
        // A non-square image keeps its shape: flips and half turns only, four places.
        assertThat(placesOfTheMarkedPixel(7, 5, 5, 1)).hasSize(4).allMatch(s -> s.startsWith("7x5@"));
    }

    private static Set<String> placesOfTheMarkedPixel(int w, int h, int mx, int my) {
        Augment geometric = new Augment(true, true, 0, 0, 0);
        Set<String> seen = new HashSet<>();
        for (int epoch = 0; epoch < 64; epoch++) {
            PreparedSample out = geometric.apply(marked(w, h, mx, my), Augment.random(9, epoch, "Im001_1"));
            Image8 m = out.mask();
            int count = 0;
            for (int y = 0; y < m.height(); y++) {
                for (int x = 0; x < m.width(); x++) {
                    if (m.get(x, y, 0) != 0) {
                        count++;
                        // The image pixel under the marked mask pixel is the one that was at (mx, my).
                        assertThat(out.image().get(x, y, 0)).isEqualTo(mx);
                        assertThat(out.image().get(x, y, 1)).isEqualTo(my);
                        seen.add(m.width() + "x" + m.height() + "@" + x + "," + y);
                    }
                }
            }
            assertThat(count).isEqualTo(1);
        }
        return seen;
    }

    @Test
    void rotationIsClockwise() {
        Image8 r = Augment.transform(marked().mask(), false, false, 1);
        assertThat(r.width()).isEqualTo(5);
        assertThat(r.height()).isEqualTo(7);
        // (x, y) = (5, 1) in a 7x5 image goes to (h - 1 - y, x) = (3, 5) after a quarter turn clockwise.
        assertThat(r.get(3, 5, 0)).isEqualTo(255);
    }

    @Test
    void sameSeedEpochAndNameGiveTheSameResult() {
        Augment a = Augment.STANDARD;
        PreparedSample x = a.apply(marked(), Augment.random(1, 3, "Im002_0"));
        PreparedSample y = a.apply(marked(), Augment.random(1, 3, "Im002_0"));
        assertThat(x.image().sameAs(y.image())).isTrue();
        assertThat(x.mask().sameAs(y.mask())).isTrue();
    }

    @Test
    void colourJitterIsMildAndLeavesTheMaskAlone() {
        Augment colour = new Augment(false, false, 0.1, 0.1, 0.1);
        PreparedSample in = marked();
        PreparedSample out = colour.apply(in, new Rng(4));
        assertThat(out.mask().sameAs(in.mask())).isTrue();
        byte[] a = in.image().data();
        byte[] b = out.image().data();
        int maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        assertThat(maxDiff).isBetween(1, 30);
    }

    @Test
    void disabledAugmentationReturnsTheSampleUnchanged() {
        PreparedSample in = marked();
        assertThat(Augment.NONE.enabled()).isFalse();
        assertThat(Augment.NONE.apply(in, new Rng(1))).isSameAs(in);
    }
}
