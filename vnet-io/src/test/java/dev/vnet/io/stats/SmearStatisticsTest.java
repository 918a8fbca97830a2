package dev.vnet.io.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.io.stats.SmearStatistics.ImageStatistics;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmearStatisticsTest {
    private static final int[] BACKGROUND = {230, 225, 220};
    private static final int[] RED_CELL = {200, 150, 160};
    private static final int[] NUCLEUS = {90, 40, 140};

    /** A 800x600 smear: background, a band of red cell colour, and purple discs of radius 50 at the given centres. */
    private static Image8 smear(int[][] discs) {
        Image8 img = new Image8(800, 600, 3);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 800; x++) {
                int[] c = y >= 400 ? RED_CELL : BACKGROUND;
                for (int[] d : discs) {
                    if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= 50 * 50) {
                        c = NUCLEUS;
                    }
                }
                for (int ch = 0; ch < 3; ch++) {
                    img.set(x, y, ch, c[ch]);
                }
            }
        }
        return img;
    }

    @Test
    void purpleObjectsWithoutALabelAreCountedAndLabelledOnesMeasured() {
        // A labelled disc, an unlabelled one, and a speck far below the 1,500 px² limit.
        Image8 img = smear(new int[][] {{150, 150}, {500, 200}});
        for (int y = 100; y < 104; y++) {
            for (int x = 700; x < 704; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    img.set(x, y, ch, NUCLEUS[ch]);
                }
            }
        }
        ImageStatistics s = SmearStatistics.measure("Im001_1", img, List.of(new Point(150, 150)), true);
        assertThat(s.unlabelledObjects()).hasSize(1);
        // A disc of radius 50: 7,854 px², measured on a quarter-size mask after an opening.
        assertThat(s.unlabelledObjects()[0]).isCloseTo(Math.PI * 50 * 50, within(900.0));
        assertThat(s.isolatedBlasts()).hasSize(1);
        assertThat(s.isolatedBlasts()[0]).isCloseTo(100, within(6.0));
        assertThat(s.blasts()).isEqualTo(1);
        assertThat(s.nearestBlast()).isEmpty();
    }

    @Test
    void regionColoursAreTheLabMeansOfTheirPixels() {
        ImageStatistics s = SmearStatistics.measure("Im002_0", smear(new int[][] {{400, 200}}), List.of(), false);
        Image8 lab = dev.vnet.ops.ColorConvert.rgbToLab(smear(new int[][] {{50, 50}, {150, 50}, {250, 50}}));
        // Background: the brightest 30% of non-purple pixels are all background colour; red: the darkest 40% (the
        // lower third of the image is red cell colour, 1/3 of the non-purple pixels, topped up with background).
        assertThat(s.background()[0]).isCloseTo(lab.get(600, 300, 0), within(0.01));
        assertThat(s.nuclei()[1]).isCloseTo(lab.get(50, 50, 1), within(2.0));
        double redShare = (800 * 200) / (800.0 * 600 - Math.PI * 2500) / 0.4;
        double expectedRedL = redShare * lab.get(400, 500, 0) + (1 - redShare) * lab.get(600, 300, 0);
        assertThat(s.redCells()[0]).isCloseTo(expectedRedL, within(1.0));
        assertThat(s.unlabelledObjects()).hasSize(1);
        assertThat(s.purpleShare()).isCloseTo(Math.PI * 2500 / (800 * 600), within(0.002));
    }

    @Test
    void nearestNeighboursAndPercentilesFollowTheirDefinitions() {
        double[] d = SmearStatistics.nearestNeighbours(List.of(new Point(0, 0), new Point(30, 40), new Point(200, 0)));
        assertThat(d).containsExactly(50, 50, Math.hypot(170, 40));
        // numpy.percentile([1, 2, 3, 4], [0, 50, 90]) = 1, 2.5, 3.7
        double[] v = {4, 1, 3, 2};
        assertThat(SmearStatistics.percentile(v, 0)).isEqualTo(1);
        assertThat(SmearStatistics.percentile(v, 50)).isEqualTo(2.5);
        assertThat(SmearStatistics.percentile(v, 90)).isCloseTo(3.7, within(1e-12));
        assertThat(SmearStatistics.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void anOpeningRemovesLinesOfOnePixelAndKeepsSquares() {
        boolean[] mask = new boolean[10 * 10];
        for (int x = 0; x < 10; x++) {
            mask[2 * 10 + x] = true;
        }
        for (int y = 5; y < 8; y++) {
            for (int x = 5; x < 8; x++) {
                mask[y * 10 + x] = true;
            }
        }
        boolean[] opened = SmearStatistics.open3x3(mask, 10, 10);
        int count = 0;
        for (int i = 0; i < opened.length; i++) {
            count += opened[i] ? 1 : 0;
            if (opened[i]) {
                assertThat(i / 10).isBetween(5, 7);
            }
        }
        assertThat(count).isEqualTo(9);
    }
}
