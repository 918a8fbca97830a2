package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchesTest {
    @Test
    void patchesAreAlwaysSizeBySizeWhereverThePoint() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 300; i++) {
            int w = 1 + r.nextInt(120);
            int h = 1 + r.nextInt(120);
            int ch = r.nextBoolean() ? 1 : 3;
            Image8 img = FilterPropertiesTest.random(w, h, ch, i);
            int size = 1 + r.nextInt(70);
            Point p = new Point(r.nextInt(-200, 320), r.nextInt(-200, 320));
            for (Patches.Border b : Patches.Border.values()) {
                Image8 patch = Patches.crop(img, p, size, b);
                assertThat(patch.width()).isEqualTo(size);
                assertThat(patch.height()).isEqualTo(size);
                assertThat(patch.channels()).isEqualTo(ch);
            }
        }
    }

    @Test
    void rectangularWindowIsPlacedInEachDirectionAsASquareOfThatSide() {
        Image8 img = FilterPropertiesTest.random(120, 90, 3, 5);
        for (Point p : List.of(new Point(60, 45), new Point(2, 88), new Point(119, 0))) {
            for (Patches.Border b : Patches.Border.values()) {
                Image8 rect = Patches.crop(img, p, 30, 12, b);
                Image8 wide = Patches.crop(img, p, 30, b);
                Image8 tall = Patches.crop(img, p, 12, b);
                assertThat(rect.width()).isEqualTo(30);
                assertThat(rect.height()).isEqualTo(12);
                // rect(x, y) is the image pixel at (left30 + x, top12 + y): the same pixel as in the 30-square
                // (same columns) and in the 12-square (same rows), shifted by the other's origin.
                int dy = Patches.origin(p.y(), 12, img.height(), b) - Patches.origin(p.y(), 30, img.height(), b);
                int dx = Patches.origin(p.x(), 30, img.width(), b) - Patches.origin(p.x(), 12, img.width(), b);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 30; x++) {
                        for (int c = 0; c < 3; c++) {
                            if (y + dy >= 0 && y + dy < 30) {
                                assertThat(rect.get(x, y, c)).as("%s %s (%d, %d)", p, b, x, y)
                                        .isEqualTo(wide.get(x, y + dy, c));
                            }
                            if (x + dx >= 0 && x + dx < 12) {
                                assertThat(rect.get(x, y, c)).as("%s %s (%d, %d)", p, b, x, y)
                                        .isEqualTo(tall.get(x + dx, y, c));
                            }
                        }
                    }
                }
            }
        }
        assertThatThrownBy(() -> Patches.crop(img, new Point(1, 1), 4, 0, Patches.Border.SHIFT_INSIDE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x0");
    }

    @Test
    void interiorPatchIsTheWindowAroundThePoint() {
        Image8 img = FilterPropertiesTest.random(200, 150, 3, 1);
        Point p = new Point(90, 70);
        for (Patches.Border b : Patches.Border.values()) {
            Image8 patch = Patches.crop(img, p, 50, b);
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 50; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(patch.get(x, y, c)).isEqualTo(img.get(p.x() - 25 + x, p.y() - 25 + y, c));
                    }
                }
            }
        }
        assertThat(Patches.crop(img, p).sameAs(Patches.crop(img, p, 50, Patches.Border.SHIFT_INSIDE))).isTrue();
    }

    @Test
    void shiftInsideKeepsOnlyImagePixelsAndPadCentresThePoint() {
        Image8 img = FilterPropertiesTest.random(100, 80, 1, 2);
        for (Point p : List.of(new Point(3, 4), new Point(99, 79), new Point(0, 60), new Point(97, 1))) {
            Image8 shifted = Patches.crop(img, p, 50, Patches.Border.SHIFT_INSIDE);
            int left = Math.max(0, Math.min(p.x() - 25, 50));
            int top = Math.max(0, Math.min(p.y() - 25, 30));
            Image8 padded = Patches.crop(img, p, 50, Patches.Border.PAD_BLACK);
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 50; x++) {
                    assertThat(shifted.get(x, y, 0)).isEqualTo(img.get(left + x, top + y, 0));
                    int sx = p.x() - 25 + x;
                    int sy = p.y() - 25 + y;
                    boolean inside = sx >= 0 && sx < 100 && sy >= 0 && sy < 80;
                    assertThat(padded.get(x, y, 0)).isEqualTo(inside ? img.get(sx, sy, 0) : 0);
                }
            }
            assertThat(padded.get(25, 25, 0)).isEqualTo(img.get(p.x(), p.y(), 0));
        }
    }

    @Test
    void imageSmallerThanThePatchIsPaddedAfterItsLastPixel() {
        Image8 img = FilterPropertiesTest.random(20, 70, 1, 3);
        for (Patches.Border b : Patches.Border.values()) {
            Image8 patch = Patches.crop(img, new Point(10, 35), 50, b);
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 50; x++) {
                    // Columns: the image is narrower than the patch. Rows: an ordinary window, 35 - 25 = 10.
                    assertThat(patch.get(x, y, 0)).isEqualTo(x < 20 ? img.get(x, 10 + y, 0) : 0);
                }
            }
        }
    }

    @Test
    void cropAllKeepsTheOrderOfThePoints() {
        Image8 img = FilterPropertiesTest.random(60, 60, 3, 5);
        List<Point> pts = List.of(new Point(10, 10), new Point(50, 50), new Point(30, 5));
        List<Image8> patches = Patches.cropAll(img, pts, 9, Patches.Border.PAD_BLACK);
        assertThat(patches).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(patches.get(i).get(4, 4, 1)).isEqualTo(img.get(pts.get(i).x(), pts.get(i).y(), 1));
        }
    }

    @Test
    void badSizeOrPolicyIsRejected() {
        Image8 img = new Image8(10, 10, 1);
        assertThatThrownBy(() -> Patches.crop(img, new Point(1, 1), 0, Patches.Border.PAD_BLACK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patch size").hasMessageContaining(">= 1");
        assertThatThrownBy(() -> Patches.crop(img, new Point(1, 1), 5, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHIFT_INSIDE");
    }
}
