package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {
    // Flood fill from each unlabelled foreground pixel in raster order: the obviously correct labelling.
    static int[] floodFillLabels(Image8 m) {
        int w = m.width();
        int h = m.height();
        int[] labels = new int[w * h];
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < w * h; start++) {
            if (m.data()[start] == 0 || labels[start] != 0) {
                continue;
            }
            labels[start] = ++next;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx;
                        int y = py + dy;
                        if (x >= 0 && x < w && y >= 0 && y < h && m.data()[y * w + x] != 0 && labels[y * w + x] == 0) {
                            labels[y * w + x] = next;
                            queue.add(y * w + x);
                        }
                    }
                }
            }
        }
        return labels;
    }

    static Image8 randomMask(int w, int h, double density, SplittableRandom r) {
        Image8 m = new Image8(w, h, 1);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (byte) (r.nextDouble() < density ? 1 + r.nextInt(255) : 0);
        }
        return m;
    }

    @Test
    void labelsEqualFloodFillAndStatisticsAddUp() {
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 200; i++) {
            int w = 1 + r.nextInt(50);
            int h = 1 + r.nextInt(50);
            Image8 m = randomMask(w, h, r.nextDouble(), r);
            ConnectedComponents.Result res = ConnectedComponents.label(m);
            assertThat(res.labels()).containsExactly(floodFillLabels(m));
            long fg = 0;
            for (byte b : m.data()) {
                fg += b != 0 ? 1 : 0;
            }
            assertThat(res.components().stream().mapToLong(ConnectedComponents.Component::area).sum()).isEqualTo(fg);
            for (ConnectedComponents.Component c : res.components()) {
                long n = 0;
                double sx = 0;
                double sy = 0;
                int minX = Integer.MAX_VALUE;
                int maxX = -1;
                int minY = Integer.MAX_VALUE;
                int maxY = -1;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (res.labelAt(x, y) == c.label()) {
                            n++;
                            sx += x;
                            sy += y;
                            minX = Math.min(minX, x);
                            maxX = Math.max(maxX, x);
                            minY = Math.min(minY, y);
                            maxY = Math.max(maxY, y);
                        }
                    }
                }
                assertThat(c.area()).isEqualTo(n);
                assertThat(new int[] {c.left(), c.top(), c.width(), c.height()})
                        .containsExactly(minX, minY, maxX - minX + 1, maxY - minY + 1);
                assertThat(c.centroidX()).isEqualTo(sx / n);
                assertThat(c.centroidY()).isEqualTo(sy / n);
            }
        }
    }

    @Test
    void cornerTouchingPixelsAreOneComponent() {
        Image8 m = new Image8(4, 4, 1);
        m.set(0, 0, 0, 1);
        m.set(1, 1, 0, 1);
        m.set(2, 2, 0, 1);
        m.set(3, 1, 0, 1);
        ConnectedComponents.Result res = ConnectedComponents.label(m);
        assertThat(res.count()).isEqualTo(1);
        assertThat(res.components().get(0).area()).isEqualTo(4);
    }

    @Test
    void discsOfTheMaskComeBackWithTheirCentres() {
        List<Point> centres = List.of(new Point(30, 30), new Point(120, 40), new Point(70, 100));
        Image8 mask = CircleMask.discs(160, 140, centres, 12);
        ConnectedComponents.Result res = ConnectedComponents.label(mask);
        assertThat(res.components()).extracting(ConnectedComponents.Component::centre)
                .containsExactlyInAnyOrderElementsOf(centres);
        assertThat(res.components()).allSatisfy(c -> assertThat(c.width()).isEqualTo(25));
    }

    @Test
    void emptyMaskHasNoComponents() {
        ConnectedComponents.Result res = ConnectedComponents.label(new Image8(7, 3, 1));
        assertThat(res.count()).isZero();
        assertThat(res.labels()).containsOnly(0);
    }

    @Test
    void colourMaskIsRejected() {
        assertThatThrownBy(() -> ConnectedComponents.label(new Image8(3, 3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask").hasMessageContaining("expected 1");
    }
}
