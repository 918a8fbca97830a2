package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.parallel.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties every filter shares (a constant image stays constant, threads do not change a byte) and their errors
 * for bad arguments; each filter's fast paths are held to its naive twin in its own test class.
 */
class FilterPropertiesTest {
    static Image8 random(int w, int h, int cn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] d = new byte[w * h * cn];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) r.nextInt(256);
        }
        return new Image8(w, h, cn, d);
    }

    // Few distinct values: many ties, which is where a median network or histogram could go wrong.
    static Image8 randomFewLevels(int w, int h, int cn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] d = new byte[w * h * cn];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (r.nextInt(4) * 85);
        }
        return new Image8(w, h, cn, d);
    }

    static Image8 constant(int w, int h, int cn, int v) {
        byte[] d = new byte[w * h * cn];
        Arrays.fill(d, (byte) v);
        return new Image8(w, h, cn, d);
    }

    @Test
    void blurOfAConstantImageIsThatConstant() {
        for (int v : new int[] {0, 1, 77, 128, 254, 255}) {
            for (int cn : new int[] {1, 3}) {
                Image8 img = constant(23, 11, cn, v);
                assertThat(GaussianBlur.apply(img, 7, 3, 0, 0).sameAs(img)).as("gaussian 7x3 of %d", v).isTrue();
                assertThat(GaussianBlur.apply(img, 0, 0, 2.7, 0).sameAs(img)).as("gaussian sigma 2.7 of %d", v).isTrue();
                assertThat(GaussianBlur.apply(img, 31, 31, 0, 0).sameAs(img)).as("gaussian 31 of %d", v).isTrue();
                for (int k : new int[] {3, 5, 7, 13}) {
                    assertThat(MedianBlur.apply(img, k).sameAs(img)).as("median %d of %d", k, v).isTrue();
                }
                assertThat(Resize.apply(img, 7, 5, Resize.Interpolation.AREA).data())
                        .containsOnly((byte) v);
                assertThat(Resize.apply(img, 50, 31, Resize.Interpolation.LINEAR).data())
                        .containsOnly((byte) v);
            }
        }
    }

    @Test
    void multithreadedEqualsSingleThreaded() {
        Image8 img = random(301, 233, 3, 99); // ~210k samples: several bands
        Image8 gray = random(257, 300, 1, 98);
        Image8[] single = WorkerPool.of(1).call(() -> results(img, gray));
        for (int t : new int[] {2, 3, 7}) {
            Image8[] multi;
            try (WorkerPool pool = WorkerPool.of(t)) {
                multi = pool.call(() -> results(img, gray));
            }
            for (int i = 0; i < single.length; i++) {
                assertThat(multi[i].sameAs(single[i])).as("result %d with %d threads", i, t).isTrue();
            }
        }
    }

    private static Image8[] results(Image8 img, Image8 gray) {
        return new Image8[] {
            GaussianBlur.apply(img, 5, 0), GaussianBlur.apply(gray, 0, 0, 3.0, 1.0),
            MedianBlur.apply(img, 3), MedianBlur.apply(img, 5), MedianBlur.apply(gray, 9),
            Resize.apply(img, 128, 97, Resize.Interpolation.LINEAR), Resize.apply(img, 150, 116, Resize.Interpolation.LINEAR),
            Resize.apply(img, 100, 77, Resize.Interpolation.AREA), Resize.apply(gray, 600, 500, Resize.Interpolation.AREA),
            Resize.apply(img, 640, 480, Resize.Interpolation.NEAREST),
        };
    }

    @Test
    void badArgumentsNameTheParameterAndWhatIsAllowed() {
        Image8 img = random(8, 8, 1, 3);
        assertThatThrownBy(() -> MedianBlur.apply(img, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is 4").hasMessageContaining("odd");
        assertThatThrownBy(() -> MedianBlur.apply(img, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is 0");
        assertThatThrownBy(() -> MedianBlur.apply(img, -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is -3");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeX is 4").hasMessageContaining("odd");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 3, 6, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeY is 6");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeX is 0").hasMessageContaining("sigmaX");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 5, -1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmaX is -1.0").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 5, 5, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmaY is NaN");
        assertThatThrownBy(() -> Resize.apply(img, 0, 5, Resize.Interpolation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x5");
        assertThatThrownBy(() -> Resize.apply(img, 5, 5, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interpolation");
        assertThatThrownBy(() -> WorkerPool.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void wrongChannelCountIsRejected() {
        // Image8 itself refuses 2 and 4 channels, naming the count and what is allowed.
        assertThatThrownBy(() -> new Image8(4, 4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 channels, expected 1 or 3");
        assertThatThrownBy(() -> new Image8(4, 4, 4, new byte[64])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 channels, expected 1 or 3");
    }
}
