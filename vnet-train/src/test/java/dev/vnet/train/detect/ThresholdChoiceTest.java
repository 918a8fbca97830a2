package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.train.CellMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {

    private static DetectedCell cell(double x, double y, float score) {
        return new DetectedCell(x, y, score, 100);
    }

    private static CellMatch.Point at(double x, double y) {
        return new CellMatch.Point(x, y);
    }

    @Test
    void choosesTheCellThresholdOfBestF1AndScoresItThere() {
        // ALL image: three true blasts, two of them touching (100 px apart); found with 0.9, 0.8, 0.7 and a false 0.4.
        // Healthy image: a lymphocyte scored 0.3 and a weak 0.2.
        ThresholdChoice.ScoredImage all = new ThresholdChoice.ScoredImage("Im001_1", true,
                List.of(cell(100, 100, 0.9f), cell(205, 100, 0.8f), cell(600, 600, 0.7f), cell(900, 100, 0.4f)),
                List.of(at(100, 100), at(200, 100), at(610, 590)));
        ThresholdChoice.ScoredImage healthy = new ThresholdChoice.ScoredImage("Im002_0", false,
                List.of(cell(300, 300, 0.3f), cell(50, 50, 0.2f)), List.of());
        ThresholdChoice c = ThresholdChoice.choose(List.of(all, healthy), 60, 120);
        // Keeping >= 0.7 finds all three and nothing else: F1 1. Halfway to the next score down (0.4).
        assertThat(c.cellThreshold()).isCloseTo(0.55f, within(1e-6f));
        assertThat(c.cells()).isEqualTo(new CellMatch(3, 0, 0));
        assertThat(c.touchingPairs()).isEqualTo(1);
        assertThat(c.separatedPairs()).isEqualTo(1);
        // Images: ALL scores 0.9, healthy 0.3: any threshold between separates them; halfway.
        assertThat(c.imageThreshold()).isCloseTo(0.6f, within(1e-6f));
        assertThat(c.imageSensitivity()).isEqualTo(1.0);
        assertThat(c.imageSpecificity()).isEqualTo(1.0);
        assertThat(c.imageAuc()).isEqualTo(1.0);
        // The PR curve runs from keeping nothing to keeping all six cells.
        assertThat(c.precisionRecall()).hasSize(7);
        assertThat(c.precisionRecall().get(6).precision()).isCloseTo(0.5, within(1e-12));
        assertThat(c.precisionRecall().get(6).recall()).isEqualTo(1.0);
        assertThat(c.images()).extracting(ThresholdChoice.ImageResult::matched).containsExactly(3, 0);
        assertThat(c.images()).extracting(ThresholdChoice.ImageResult::calledAll).containsExactly(true, false);
    }

    @Test
    void aMergedPairCountsAsNotSeparated() {
        // One detection between two touching blasts: it matches one of them at most.
        ThresholdChoice.ScoredImage img = new ThresholdChoice.ScoredImage("a", true, List.of(cell(150, 100, 0.9f)),
                List.of(at(100, 100), at(200, 100)));
        ThresholdChoice c = ThresholdChoice.choose(List.of(img), 60, 120);
        assertThat(c.touchingPairs()).isEqualTo(1);
        assertThat(c.separatedPairs()).isZero();
        assertThat(c.cells()).isEqualTo(new CellMatch(1, 0, 1));
        assertThat(c.imageAuc()).isNaN();
    }

    @Test
    void imagesWithoutAnyCellStillGiveThresholdsACheckpointCanHold() {
        // An untrained detector finds nothing: every image score is 0, and calling every image ALL has the best F1.
        List<ThresholdChoice.ScoredImage> images = List.of(
                new ThresholdChoice.ScoredImage("p", true, List.of(), List.of(new CellMatch.Point(10, 10))),
                new ThresholdChoice.ScoredImage("n", false, List.of(), List.of()));
        ThresholdChoice t = ThresholdChoice.choose(images, 60, 120);
        assertThat(t.imageThreshold()).isGreaterThan(0f).isLessThanOrEqualTo(1f);
        assertThat(t.cellThreshold()).isGreaterThan(0f).isLessThanOrEqualTo(1f);
        assertThat(t.images()).noneMatch(ThresholdChoice.ImageResult::calledAll);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        List<ThresholdChoice.ScoredImage> images = List.of(
                new ThresholdChoice.ScoredImage("p1", true, List.of(cell(0, 0, 0.8f)), List.of()),
                new ThresholdChoice.ScoredImage("p2", true, List.of(cell(0, 0, 0.5f)), List.of()),
                new ThresholdChoice.ScoredImage("n1", false, List.of(cell(0, 0, 0.5f)), List.of()),
                new ThresholdChoice.ScoredImage("n2", false, List.of(), List.of()));
        // Pairs (p, n): (0.8, 0.5) 1, (0.8, 0) 1, (0.5, 0.5) ½, (0.5, 0) 1 → 3.5 / 4.
        assertThat(ThresholdChoice.rocAuc(images)).isEqualTo(0.875);
    }

    @Test
    void assignmentMatchesOneToOne() {
        int[] m = CellMatch.assign(List.of(at(0, 0), at(10, 0)), List.of(at(1, 0), at(2, 0), at(100, 0)), 60);
        assertThat(m).containsExactly(0, 1, -1);
    }
}
