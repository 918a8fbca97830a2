package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircleMaskTest {
    @Test
    void discIsTheLatticeDiscClippedToTheCanvas() {
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 400; i++) {
            int w = 1 + r.nextInt(60);
            int h = 1 + r.nextInt(60);
            int radius = i < 50 ? i % 5 : r.nextInt(70);
            int cx = r.nextInt(-80, 140);
            int cy = r.nextInt(-80, 140);
            Image8 m = new Image8(w, h, 1);
            CircleMask.fillDisc(m, cx, cy, radius, 255);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = CircleMask.inLatticeDisc(x, y, cx, cy, radius);
                    assertThat(m.get(x, y, 0)).as("(%d,%d) disc (%d,%d) r=%d on %dx%d", x, y, cx, cy, radius, w, h)
                            .isEqualTo(in ? 255 : 0);
                }
            }
        }
    }

    @Test
    void largeDiscsAreLatticeDiscsToo() {
        for (int radius : new int[] {25, 99, 150, 333}) {
            int size = 2 * radius + 3;
            Image8 m = CircleMask.discs(size, size, List.of(new Point(radius + 1, radius + 1)), radius);
            int count = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean in = CircleMask.inLatticeDisc(x, y, radius + 1, radius + 1, radius);
                    assertThat(m.get(x, y, 0) == 255).isEqualTo(in);
                    count += in ? 1 : 0;
                }
            }
            assertThat(count).isCloseTo((int) Math.round(Math.PI * radius * radius), org.assertj.core.data.Percentage.withPercentage(2));
        }
    }

    @Test
    void smallRadiiHaveTheirKnownShapes() {
        // r=0: 1 pixel; r=1: a plus of 5; r=2: 13 pixels; r=3: 29 pixels.
        int[] expected = {1, 5, 13, 29};
        for (int radius = 0; radius < 4; radius++) {
            Image8 m = CircleMask.discs(9, 9, List.of(new Point(4, 4)), radius);
            int n = 0;
            for (byte b : m.data()) {
                n += b != 0 ? 1 : 0;
            }
            assertThat(n).as("r=%d", radius).isEqualTo(expected[radius]);
        }
    }

    @Test
    void centresFarOutsideOrHugeRadiiNeverFail() {
        Image8 m = new Image8(10, 7, 1);
        CircleMask.fillDisc(m, -1_000_000, 3, 5, 255);
        CircleMask.fillDisc(m, 3, 1_000_000, 5, 255);
        assertThat(m.sameAs(new Image8(10, 7, 1))).isTrue();
        CircleMask.fillDisc(m, 5, 3, 100_000, 255);
        for (byte b : m.data()) {
            assertThat(b & 0xFF).isEqualTo(255);
        }
    }

    @Test
    void severalDiscsAreTheirUnion() {
        List<Point> pts = List.of(new Point(3, 3), new Point(20, 10), new Point(-2, 14), new Point(39, 0));
        Image8 all = CircleMask.discs(40, 16, pts, 6);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 40; x++) {
                boolean any = false;
                for (Point p : pts) {
                    any |= CircleMask.inLatticeDisc(x, y, p.x(), p.y(), 6);
                }
                assertThat(all.get(x, y, 0) == 255).isEqualTo(any);
            }
        }
    }

    @Test
    void scaledMasksMapCentresAndRadiusToTargetPixels() {
        // Doubling the size: pixel centre x + 0.5 maps to 2x + 1, radius doubles.
        assertThat(CircleMask.scalePoint(new Point(10, 7), 50, 40, 100, 80)).isEqualTo(new Point(21, 15));
        assertThat(CircleMask.scaleRadius(25, 50, 40, 100, 80)).isEqualTo(50);
        assertThat(CircleMask.scalePoint(new Point(0, 0), 2592, 1944, 256, 256)).isEqualTo(new Point(0, 0));
        assertThat(CircleMask.scalePoint(new Point(2591, 1943), 2592, 1944, 256, 256)).isEqualTo(new Point(255, 255));
        // Same size: identity.
        List<Point> pts = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 20; i++) {
            pts.add(new Point(r.nextInt(300), r.nextInt(200)));
        }
        assertThat(CircleMask.discsScaled(300, 200, pts, 25, 300, 200).sameAs(CircleMask.discs(300, 200, pts, 25))).isTrue();
        // The disc drawn at the target size covers about the area of the original disc resized.
        Image8 small = CircleMask.discsScaled(2592, 1944, List.of(new Point(1296, 972)), 25, 256, 256);
        int n = 0;
        for (byte b : small.data()) {
            n += b != 0 ? 1 : 0;
        }
        double resizedArea = Math.PI * 25 * 25 * (256.0 / 2592) * (256.0 / 1944);
        assertThat((double) n).isBetween(resizedArea * 0.5, resizedArea * 3);
    }

    @Test
    void badArgumentsNameTheParameterAndWhatIsAllowed() {
        Image8 m = new Image8(5, 5, 1);
        assertThatThrownBy(() -> CircleMask.fillDisc(m, 2, 2, -1, 255)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("radius").hasMessageContaining(">= 0").hasMessageContaining("-1");
        assertThatThrownBy(() -> CircleMask.discs(5, 5, List.of(), -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("radius");
        assertThatThrownBy(() -> CircleMask.fillDisc(m, 2, 2, 1, 256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..255");
        assertThatThrownBy(() -> CircleMask.fillDisc(new Image8(5, 5, 3), 2, 2, 1, 255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canvas").hasMessageContaining("expected 1");
        assertThatThrownBy(() -> CircleMask.discsScaled(0, 5, List.of(), 3, 5, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("original size");
    }
}
