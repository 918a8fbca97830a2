package dev.vnet.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.train.CellMatch;
import dev.vnet.train.TinyData;
import dev.vnet.train.Trainer;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.ThresholdChoice;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionCurvesTest {
    @TempDir
    Path tmp;

    private static ThresholdChoice.ImageResult image(boolean all, float score) {
        return new ThresholdChoice.ImageResult("i", all, 0, 0, 0, score, false);
    }

    @Test
    void theRocStepsThroughEveryDistinctScoreFromTheHighest() {
        // Scores: ALL 0.9, healthy 0.7, ALL 0.5 and healthy 0.5 (a tie), healthy 0.1.
        double[][] roc = DetectionCurves.roc(List.of(image(true, 0.9f), image(false, 0.7f), image(true, 0.5f),
                image(false, 0.5f), image(false, 0.1f)));
        assertThat(roc[0]).containsExactly(0, 0, 1.0 / 3, 2.0 / 3, 1);
        assertThat(roc[1]).containsExactly(0, 0.5, 0.5, 1, 1);
    }

    @Test
    void aDetectorRunDrawsBothCurvesIntoItsPlots() throws Exception {
        Path run = tmp.resolve("run");
        RunOutputs.addTo(Trainer.builder(TinyData.detector(96), TinyData.samples(8, 96, 64, 5), run), true).quiet(true).build().run();
        assertThat(run.resolve("plots/precision_recall.png")).isRegularFile();
        assertThat(run.resolve("plots/roc.png")).isRegularFile();
        // A figure per validation image (8 smears, a quarter of them for validation).
        try (var figs = java.nio.file.Files.list(run.resolve("figures"))) {
            List<Path> pngs = figs.toList();
            assertThat(pngs).hasSize(2);
            BufferedImage fig = ImageIO.read(pngs.get(0).toFile());
            assertThat(fig.getWidth()).as("three panels of at least 96 px").isGreaterThan(3 * 96);
        }
    }

    @Test
    void bothChartsAreWrittenFromAChoice() throws Exception {
        List<ThresholdChoice.ScoredImage> images = List.of(
                new ThresholdChoice.ScoredImage("a", true, List.of(new DetectedCell(10, 10, 0.9f, 50),
                        new DetectedCell(200, 10, 0.4f, 50)), List.of(new CellMatch.Point(12, 10))),
                new ThresholdChoice.ScoredImage("b", false, List.of(new DetectedCell(50, 50, 0.3f, 50)), List.of()));
        DetectionCurves.write(tmp, ThresholdChoice.choose(images, 60, 120));
        for (String chart : new String[] {"precision_recall.png", "roc.png"}) {
            BufferedImage img = ImageIO.read(tmp.resolve(chart).toFile());
            assertThat(img).as(chart).isNotNull();
            assertThat(img.getWidth()).as(chart).isEqualTo(640);
        }
    }
}
