package dev.vnet.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.train.TrainingListener.ImagePrediction;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.HeatMapTarget;
import dev.vnet.train.detect.ThresholdChoice;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector's validation figure: which cells it marks matched, false alarms and missed. */
class DetectionFiguresTest {
    @TempDir
    Path tmp;

    private static final int W = 160;
    private static final int H = 120;

    /** Truth at (30, 30) and (100, 60); the network finds (31, 30) and a false alarm at (130, 100), peaks of 0.8. */
    private static ImagePrediction prediction() {
        DetectionConfig settings = DetectionConfig.allIdb1(64);
        double sigma = HeatMapTarget.sigmaFor(settings.workingScale().targetDiameter());
        float[] target = HeatMapTarget.render(W, H, List.of(new double[] {30, 30}, new double[] {100, 60}), sigma);
        float[] map = HeatMapTarget.render(W, H, List.of(new double[] {31, 30}, new double[] {130, 100}), sigma);
        for (int i = 0; i < map.length; i++) {
            map[i] *= 0.8f;
        }
        Sample sample = new Sample("smear", null, new Image8(W, H, 3), List.of(new Point(120, 120),
                new Point(400, 240)), true);
        return new ImagePrediction(sample, new Image8(W, H, 3), target, map);
    }

    @Test
    void cellsAreSortedIntoMatchedFalseAlarmsAndMissedAsTheMetricsCountThem() {
        DetectionConfig settings = DetectionConfig.allIdb1(64);
        DetectionFigures.Cells cells = DetectionFigures.cells(prediction(), settings, 0.5f);

        assertThat(cells.truth()).hasSize(2);
        assertThat(cells.found()).hasSize(2);
        assertThat(cells.matched()).isEqualTo(1);
        int matchedIndex = cells.matchOf()[0];
        assertThat(matchedIndex).isGreaterThanOrEqualTo(0);
        assertThat(cells.found().get(matchedIndex).x()).isEqualTo(31.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(cells.matchOf()[1]).as("the blast at (100, 60) is missed").isEqualTo(-1);
        assertThat(cells.isMatched(1 - matchedIndex)).as("the cell at (130, 100) is a false alarm").isFalse();
    }

    @Test
    void aThresholdAboveEveryPeakLeavesOnlyMisses() {
        DetectionFigures.Cells cells = DetectionFigures.cells(prediction(), DetectionConfig.allIdb1(64), 0.9f);
        assertThat(cells.found()).isEmpty();
        assertThat(cells.matched()).isZero();
    }

    @Test
    void theFigureHasThreePanelsAndMarksTheCellsInTheirColours() throws Exception {
        ImagePrediction p = prediction();
        DetectionConfig settings = DetectionConfig.allIdb1(64);
        ThresholdChoice choice = ThresholdChoice.at(List.of(), 0.5f, 0.5f, settings.matchDistance(),
                settings.pairDistance());
        Path file = tmp.resolve("smear.png");
        DetectionFigures.write(file, p, settings, choice);
        BufferedImage fig = ImageIO.read(file.toFile());
        int scale = DetectionFigures.scale(W);
        assertThat(fig.getWidth()).isEqualTo(3 * W * scale + 4 * 4);
        // The third panel holds magenta (a missed blast) and yellow (a matched cell) on a black image.
        int x0 = 4 + 2 * (W * scale + 4);
        boolean magenta = false;
        boolean yellow = false;
        for (int y = 18; y < 18 + H * scale; y++) {
            for (int x = x0; x < x0 + W * scale; x++) {
                int rgb = fig.getRGB(x, y) & 0xFFFFFF;
                magenta |= rgb == 0xFF00FF;
                yellow |= rgb == 0xFFFF00;
            }
        }
        assertThat(magenta).isTrue();
        assertThat(yellow).isTrue();
    }
}
