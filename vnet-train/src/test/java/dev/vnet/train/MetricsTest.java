package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    /** A 10×10 truth with a 2×2 blast at (1..2, 1..2) and a prediction shifted by one column. */
    @Test
    void pixelRatiosOnHandBuiltMasks() {
        float[] truth = new float[100];
        float[] prob = new float[100];
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                truth[y * 10 + x] = 1;
                prob[y * 10 + x + 1] = 0.9f;
            }
        }
        PixelCounts c = PixelCounts.of(prob, truth, 0.5f);
        assertThat(c).isEqualTo(new PixelCounts(2, 2, 2, 94));
        assertThat(c.dice()).isCloseTo(4.0 / 8, within(1e-12));
        assertThat(c.iou()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(c.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(c.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(c.pixelAccuracy()).isCloseTo(0.96, within(1e-12));
        assertThat(c.backgroundAccuracy()).isCloseTo(0.96, within(1e-12));
    }

    @Test
    void emptyPredictionScoresHighPixelAccuracyButBackgroundAccuracyShowsIt() {
        float[] truth = new float[1000];
        truth[10] = 1;
        truth[11] = 1;
        float[] prob = new float[1000];
        PixelCounts c = PixelCounts.of(prob, truth, 0.5f);
        assertThat(c.pixelAccuracy()).isCloseTo(0.998, within(1e-12));
        assertThat(c.backgroundAccuracy()).isEqualTo(c.pixelAccuracy());
        assertThat(c.dice()).isZero();
        assertThat(c.iou()).isZero();
        assertThat(c.recall()).isZero();
        // Nothing predicted but something missed: no credit for precision either.
        assertThat(c.precision()).isZero();
    }

    @Test
    void emptyPredictionOnEmptyTruthIsPerfect() {
        PixelCounts c = PixelCounts.of(new float[50], new float[50], 0.5f);
        assertThat(c.dice()).isEqualTo(1.0);
        assertThat(c.iou()).isEqualTo(1.0);
        assertThat(c.precision()).isEqualTo(1.0);
        assertThat(c.recall()).isEqualTo(1.0);
        assertThat(c.backgroundAccuracy()).isEqualTo(1.0);
        float[] prob = new float[50];
        prob[3] = 0.7f;
        PixelCounts spurious = PixelCounts.of(prob, new float[50], 0.5f);
        assertThat(spurious.recall()).isZero();
        assertThat(spurious.dice()).isZero();
    }

    @Test
    void thresholdIsInclusiveAndCountsAdd() {
        float[] prob = {0.5f, 0.49f};
        float[] truth = {1, 1};
        PixelCounts c = PixelCounts.of(prob, truth, 0.5f);
        assertThat(c).isEqualTo(new PixelCounts(1, 0, 1, 0));
        assertThat(c.plus(c)).isEqualTo(new PixelCounts(2, 0, 2, 0));
    }

    @Test
    void cellMatchingIsOneToOneAndGreedyByDistance() {
        var truth = List.of(new CellMatch.Point(10, 10), new CellMatch.Point(30, 10));
        // Two detections near the first cell, one far from everything.
        var detected = List.of(new CellMatch.Point(11, 10), new CellMatch.Point(13, 10), new CellMatch.Point(100, 100));
        CellMatch m = CellMatch.match(detected, truth, 5);
        assertThat(m).isEqualTo(new CellMatch(1, 2, 1));
        assertThat(m.sensitivity()).isCloseTo(0.5, within(1e-12));
        assertThat(m.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.f1()).isCloseTo(2.0 / 5, within(1e-12));
        // The nearer pair wins: detection (26,10) goes to cell (30,10) only if not closer to another.
        var d2 = List.of(new CellMatch.Point(18, 10), new CellMatch.Point(22, 10));
        CellMatch m2 = CellMatch.match(d2, truth, 9);
        assertThat(m2).isEqualTo(new CellMatch(2, 0, 0));
        // Distance bound is inclusive.
        assertThat(CellMatch.match(List.of(new CellMatch.Point(13, 14)), List.of(new CellMatch.Point(10, 10)), 5))
                .isEqualTo(new CellMatch(1, 0, 0));
        assertThat(CellMatch.match(List.of(), List.of(), 5).f1()).isEqualTo(1.0);
        assertThat(CellMatch.match(List.of(), truth, 5).f1()).isZero();
    }

    @Test
    void cellDetectorFindsEightConnectedComponentsAndDropsSmallOnes() {
        int w = 8;
        int h = 6;
        boolean[] mask = new boolean[w * h];
        // A diagonal pair (8-connected: one component of area 2), and a 2×2 block.
        mask[0] = true;
        mask[w + 1] = true;
        for (int y = 3; y <= 4; y++) {
            for (int x = 5; x <= 6; x++) {
                mask[y * w + x] = true;
            }
        }
        var cells = CellDetector.detect(mask, w, h, 1);
        assertThat(cells).hasSize(2);
        assertThat(cells.get(0).area()).isEqualTo(2);
        assertThat(cells.get(0).x()).isCloseTo(0.5, within(1e-12));
        assertThat(cells.get(1).x()).isCloseTo(5.5, within(1e-12));
        assertThat(cells.get(1).y()).isCloseTo(3.5, within(1e-12));
        assertThat(CellDetector.detect(mask, w, h, 3)).hasSize(1);
    }

    @Test
    void imageLevelSensitivityAndSpecificity() {
        ImageCounts c = ImageCounts.of(true, true).plus(ImageCounts.of(false, true))
                .plus(ImageCounts.of(true, false)).plus(ImageCounts.of(false, false)).plus(ImageCounts.of(false, false));
        assertThat(c).isEqualTo(new ImageCounts(1, 1, 1, 2));
        assertThat(c.sensitivity()).isCloseTo(0.5, within(1e-12));
        assertThat(c.specificity()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void accumulatorScalesCentroidsToTheOriginalImageAndClassifiesImages() {
        // 16×16 map of a 160×80 image: one predicted blob at map (4..5, 4..5) → original x ≈ 50, y ≈ 25.
        int w = 16;
        int h = 16;
        float[] prob = new float[w * h];
        float[] truth = new float[w * h];
        for (int y = 4; y <= 5; y++) {
            for (int x = 4; x <= 5; x++) {
                prob[y * w + x] = 1;
                truth[y * w + x] = 1;
            }
        }
        var acc = new MetricsAccumulator(new EvaluationConfig(0.5f, 2, 3, 0));
        var found = acc.addImage(prob, truth, 0, w, h, List.of(new CellMatch.Point(50, 25)), 160, 80, true);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).x()).isCloseTo(49.5, within(1e-9));
        assertThat(found.get(0).y()).isCloseTo(24.5, within(1e-9));
        acc.addImage(new float[w * h], new float[w * h], 0, w, h, List.of(), 160, 80, false);
        acc.addLoss(0.5, 1);
        acc.addLoss(0.25, 1);
        Metrics m = acc.result();
        assertThat(m.images()).isEqualTo(2);
        assertThat(m.loss()).isCloseTo(0.375, within(1e-12));
        assertThat(m.cells()).isEqualTo(new CellMatch(1, 0, 0));
        assertThat(m.image()).isEqualTo(new ImageCounts(1, 0, 0, 1));
        assertThat(m.toMap()).containsKeys(Metrics.KEYS);
        assertThat(m.dice()).isEqualTo(1.0);
    }
}
