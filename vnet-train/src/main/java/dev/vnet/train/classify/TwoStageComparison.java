package dev.vnet.train.classify;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.train.CellMatch;
import dev.vnet.train.Segmenter;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.HeatMapDetector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures whether the cell classifier as a second stage helps a point detector on labelled smears: the cells and the
 * image calls of the detector alone (its thresholds from its checkpoint) against those of the two stages
 * ({@link Segmenter#withClassifier}: proposals at half the detector's cell threshold, kept when the classifier calls
 * them blasts; an image is called ALL when a proposal's blast probability reaches 0.5).
 */
public final class TwoStageComparison {
    private TwoStageComparison() {}

    /**
     * One way's numbers over a set of smears.
     *
     * @param cells         cells matched against the labelled blasts (within the detector's match distance)
     * @param imageScores   each image's score (the detector's highest peak; the highest blast probability)
     * @param imageCalls    each image's ALL call
     * @param labels        each image's label (true for ALL)
     */
    public record Outcome(CellMatch cells, float[] imageScores, boolean[] imageCalls, boolean[] labels) {
        /** {@return the numbers by name: cell precision, sensitivity, F1 and counts; image sensitivity, specificity, AUC} */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell_precision", cells.precision());
            m.put("cell_sensitivity", cells.sensitivity());
            m.put("cell_f1", cells.f1());
            m.put("cells_found", cells.truePositive());
            m.put("false_alarms", cells.falsePositive());
            m.put("missed", cells.falseNegative());
            float[] calls = new float[imageCalls.length];
            for (int i = 0; i < calls.length; i++) {
                calls[i] = imageCalls[i] ? 1 : 0;
            }
            BinaryScores images = BinaryScores.of(calls, labels, Double.NaN);
            m.put("image_sensitivity", images.sensitivity());
            m.put("image_specificity", images.specificity());
            m.put("image_auc", BinaryScores.rocAuc(imageScores, labels));
            return m;
        }
    }

    /**
     * Runs both ways on every smear.
     *
     * @param detector   a point detector's segmenter, without a classifier
     * @param classifier the cell classifier
     * @param smears     labelled smears (ALL-IDB1 layout)
     * @return the detector alone and the two stages, in that order
     * @throws IOException if an image cannot be read
     */
    public static List<Outcome> compare(Segmenter detector, CellScorer classifier, List<AllIdb1Sample> smears)
            throws IOException {
        if (detector.config().detection() == null) {
            throw new IllegalArgumentException("the comparison needs a point detector's checkpoint, got preset "
                    + detector.config().preset());
        }
        Segmenter twoStages = detector.withClassifier(classifier);
        double match = detector.config().detection().matchDistance();
        int n = smears.size();
        CellMatch alone = CellMatch.EMPTY;
        CellMatch both = CellMatch.EMPTY;
        float[] aloneScores = new float[n];
        float[] bothScores = new float[n];
        boolean[] aloneCalls = new boolean[n];
        boolean[] bothCalls = new boolean[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            AllIdb1Sample s = smears.get(i);
            Image8 img = ImageFiles.readRgb(s.imagePath());
            List<CellMatch.Point> truth = new ArrayList<>();
            for (Point p : s.centres()) {
                truth.add(new CellMatch.Point(p.x(), p.y()));
            }
            labels[i] = s.label();
            HeatMapDetector.Detection d = detector.detect(img);
            alone = alone.plus(CellMatch.match(points(d.cells()), truth, match));
            aloneScores[i] = d.score();
            aloneCalls[i] = d.calledAll();
            Segmenter.TwoStages t = twoStages.detectInTwoStages(img);
            both = both.plus(CellMatch.match(points(t.cells()), truth, match));
            bothScores[i] = t.score();
            bothCalls[i] = t.score() >= BinaryScores.THRESHOLD;
        }
        return List.of(new Outcome(alone, aloneScores, aloneCalls, labels),
                new Outcome(both, bothScores, bothCalls, labels));
    }

    private static List<CellMatch.Point> points(List<DetectedCell> cells) {
        List<CellMatch.Point> out = new ArrayList<>(cells.size());
        for (DetectedCell c : cells) {
            out.add(new CellMatch.Point(c.x(), c.y()));
        }
        return out;
    }
}
