package dev.vnet.train.detect;

import dev.vnet.train.CellMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses the detector's two thresholds on validation images and scores them there.
 *
 * <ul>
 *   <li><b>Cell threshold</b>: the peak value above which a peak is a cell, chosen for the best cell F1 (detections
 *       matched one to one to the labelled centres within {@code matchDistance} original pixels, as {@link CellMatch}
 *       does). The cells of every threshold come from one decoding at a low threshold, filtered by score (see
 *       {@link PeakDecoder}). The threshold is put halfway between the chosen score and the next lower one, so a
 *       score a little off on new images still falls on the same side.</li>
 *   <li><b>Image threshold</b>: an image is called ALL when its highest cell score reaches it; chosen the same way,
 *       for the best F1 of ALL images. Its ROC AUC says how well the image score ranks ALL above healthy whatever
 *       the threshold.</li>
 *   <li><b>Touching pairs</b>: pairs of labelled blasts whose centres are within {@code pairDistance}; a pair is
 *       separated when both of its blasts are matched at the chosen cell threshold.</li>
 * </ul>
 *
 * @param cellThreshold   the chosen cell threshold
 * @param cells           the cell counts at that threshold over all images
 * @param imageThreshold  the chosen image threshold
 * @param imageSensitivity ALL images called ALL, at the image threshold
 * @param imageSpecificity healthy images called healthy, at the image threshold
 * @param imageAuc        ROC AUC of the image scores (ALL against healthy); NaN without both labels
 * @param touchingPairs   labelled pairs within {@code pairDistance}
 * @param separatedPairs  of those, the pairs with both blasts matched
 * @param precisionRecall the cell precision–recall curve, from the highest threshold down
 * @param images          per image, at the chosen thresholds
 */
public record ThresholdChoice(float cellThreshold, CellMatch cells, float imageThreshold, double imageSensitivity,
                              double imageSpecificity, double imageAuc, int touchingPairs, int separatedPairs,
                              List<CurvePoint> precisionRecall, List<ImageResult> images) {

    /** The most thresholds tried; more distinct scores are thinned to evenly spaced ranks. */
    static final int MAX_CANDIDATES = 400;

    /**
     * A validation image: what the decoder found (at a low threshold) and the truth.
     *
     * @param name  the image's name
     * @param label true for an ALL image
     * @param found cells in original pixels, every score down to the decoding threshold
     * @param truth labelled blast centres in original pixels
     */
    public record ScoredImage(String name, boolean label, List<DetectedCell> found, List<CellMatch.Point> truth) {
        /**
         * Copies the lists.
         *
         * @param name  the image's name
         * @param label true for an ALL image
         * @param found cells in original pixels, every score down to the decoding threshold
         * @param truth labelled blast centres in original pixels
         */
        public ScoredImage {
            found = List.copyOf(found);
            truth = List.copyOf(truth);
        }

        /** {@return the image's score: its highest cell score, 0 without a cell} */
        public float score() {
            float s = 0;
            for (DetectedCell c : found) {
                s = Math.max(s, c.score());
            }
            return s;
        }
    }

    /**
     * One point of a curve.
     *
     * @param threshold the threshold
     * @param precision the precision at it
     * @param recall    the recall (sensitivity) at it
     * @param f1        the F1 at it
     */
    public record CurvePoint(float threshold, double precision, double recall, double f1) {}

    /**
     * One image at the chosen thresholds.
     *
     * @param name       the image's name
     * @param label      true for an ALL image
     * @param trueBlasts labelled blasts
     * @param found      cells found
     * @param matched    cells matched to a labelled blast
     * @param score      the image score (highest cell score)
     * @param calledAll  whether the score reaches the image threshold
     */
    public record ImageResult(String name, boolean label, int trueBlasts, int found, int matched, float score,
                              boolean calledAll) {}

    /**
     * Chooses both thresholds on {@code images} and scores them.
     *
     * @param images        the validation images
     * @param matchDistance the largest distance, in original pixels, at which a cell matches a labelled blast
     * @param pairDistance  labelled blasts closer than this, in original pixels, form a touching pair
     * @return the thresholds and their numbers
     */
    public static ThresholdChoice choose(List<ScoredImage> images, double matchDistance, double pairDistance) {
        List<Float> candidates = candidates(images);
        int best = 0;
        double bestF1 = -1;
        for (int i = 0; i < candidates.size(); i++) {
            double f1 = cellsAt(images, candidates.get(i), matchDistance).f1();
            if (f1 > bestF1) {
                bestF1 = f1;
                best = i;
            }
        }
        List<Float> imageScores = new ArrayList<>(new TreeSet<>(images.stream().map(ScoredImage::score).toList())
                .descendingSet());
        imageScores.add(0, Float.POSITIVE_INFINITY);
        int bestImage = 0;
        double bestImageF1 = -1;
        for (int i = 0; i < imageScores.size(); i++) {
            double f1 = imageCounts(images, imageScores.get(i)).f1();
            if (f1 > bestImageF1) {
                bestImageF1 = f1;
                bestImage = i;
            }
        }
        return at(images, between(candidates, best), between(imageScores, bestImage), matchDistance, pairDistance);
    }

    /**
     * Scores {@code images} at given thresholds (those of a checkpoint, on images it never saw).
     *
     * @param images         the images
     * @param cellThreshold  the cell threshold
     * @param imageThreshold the image threshold
     * @param matchDistance  the largest distance, in original pixels, at which a cell matches a labelled blast
     * @param pairDistance   labelled blasts closer than this, in original pixels, form a touching pair
     * @return the thresholds and their numbers
     */
    public static ThresholdChoice at(List<ScoredImage> images, float cellThreshold, float imageThreshold,
                                     double matchDistance, double pairDistance) {
        List<CurvePoint> curve = new ArrayList<>();
        for (float t : candidates(images)) {
            CellMatch m = cellsAt(images, t, matchDistance);
            curve.add(new CurvePoint(t, m.precision(), m.sensitivity(), m.f1()));
        }
        CellMatch cells = cellsAt(images, cellThreshold, matchDistance);
        CellMatch imageCounts = imageCounts(images, imageThreshold);
        long healthy = images.stream().filter(s -> !s.label()).count();
        long healthyCalledAll = images.stream().filter(s -> !s.label() && s.score() >= imageThreshold).count();
        double specificity = healthy == 0 ? Double.NaN : 1 - (double) healthyCalledAll / healthy;
        double sensitivity = imageCounts.truePositive() + imageCounts.falseNegative() == 0 ? Double.NaN
                : imageCounts.sensitivity();

        int pairs = 0;
        int separated = 0;
        List<ImageResult> results = new ArrayList<>();
        for (ScoredImage s : images) {
            List<CellMatch.Point> kept = centres(s.found(), cellThreshold);
            int[] matchOf = CellMatch.assign(kept, s.truth(), matchDistance);
            int matched = 0;
            for (int t = 0; t < matchOf.length; t++) {
                matched += matchOf[t] >= 0 ? 1 : 0;
                for (int u = t + 1; u < matchOf.length; u++) {
                    double dx = s.truth().get(t).x() - s.truth().get(u).x();
                    double dy = s.truth().get(t).y() - s.truth().get(u).y();
                    if (dx * dx + dy * dy <= pairDistance * pairDistance) {
                        pairs++;
                        separated += matchOf[t] >= 0 && matchOf[u] >= 0 ? 1 : 0;
                    }
                }
            }
            results.add(new ImageResult(s.name(), s.label(), s.truth().size(), kept.size(), matched, s.score(),
                    s.score() >= imageThreshold));
        }
        return new ThresholdChoice(cellThreshold, cells, imageThreshold, sensitivity, specificity, rocAuc(images),
                pairs, separated, List.copyOf(curve), List.copyOf(results));
    }

    /**
     * {@return the ROC AUC of the image scores: the chance that an ALL image scores above a healthy one, ties
     * counting one half; NaN without both labels}
     *
     * @param images the images
     */
    public static double rocAuc(List<ScoredImage> images) {
        long pos = 0;
        long neg = 0;
        double wins = 0;
        for (ScoredImage p : images) {
            if (!p.label()) {
                continue;
            }
            pos++;
            for (ScoredImage n : images) {
                if (n.label()) {
                    continue;
                }
                wins += p.score() > n.score() ? 1 : p.score() == n.score() ? 0.5 : 0;
            }
        }
        for (ScoredImage n : images) {
            neg += n.label() ? 0 : 1;
        }
        return pos == 0 || neg == 0 ? Double.NaN : wins / (pos * neg);
    }

    /**
     * {@return the cell counts over all images when cells scoring at least {@code threshold} are kept}
     *
     * @param images        the images
     * @param threshold     the cell threshold
     * @param matchDistance the matching distance in original pixels
     */
    public static CellMatch cellsAt(List<ScoredImage> images, float threshold, double matchDistance) {
        CellMatch sum = CellMatch.EMPTY;
        for (ScoredImage s : images) {
            sum = sum.plus(CellMatch.match(centres(s.found(), threshold), s.truth(), matchDistance));
        }
        return sum;
    }

    /** Images as cells of a match: an ALL image called ALL is a true positive, and so on. */
    private static CellMatch imageCounts(List<ScoredImage> images, float threshold) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (ScoredImage s : images) {
            boolean called = s.score() >= threshold;
            tp += called && s.label() ? 1 : 0;
            fp += called && !s.label() ? 1 : 0;
            fn += !called && s.label() ? 1 : 0;
        }
        return new CellMatch(tp, fp, fn);
    }

    private static List<CellMatch.Point> centres(List<DetectedCell> cells, float threshold) {
        List<CellMatch.Point> out = new ArrayList<>();
        for (DetectedCell c : cells) {
            if (c.score() >= threshold) {
                out.add(new CellMatch.Point(c.x(), c.y()));
            }
        }
        return out;
    }

    /**
     * The thresholds to try, from keeping nothing (+∞) down to keeping every cell: every distinct cell score, or
     * {@link #MAX_CANDIDATES} of them at evenly spaced ranks.
     */
    private static List<Float> candidates(List<ScoredImage> images) {
        TreeSet<Float> scores = new TreeSet<>();
        for (ScoredImage s : images) {
            for (DetectedCell c : s.found()) {
                scores.add(c.score());
            }
        }
        List<Float> all = new ArrayList<>(scores.descendingSet());
        List<Float> out = new ArrayList<>();
        out.add(Float.POSITIVE_INFINITY);
        if (all.size() <= MAX_CANDIDATES) {
            out.addAll(all);
        } else {
            for (int i = 0; i < MAX_CANDIDATES; i++) {
                out.add(all.get((int) Math.round((double) i * (all.size() - 1) / (MAX_CANDIDATES - 1))));
            }
        }
        return out;
    }

    /**
     * The threshold for choosing candidate {@code i} of a descending list: halfway to the next lower candidate, the
     * candidate itself when it is the lowest, and just above the highest score for "keep nothing" (+∞).
     */
    private static float between(List<Float> descending, int i) {
        float s = descending.get(i);
        if (Float.isInfinite(s)) {
            return descending.size() > 1 ? Math.min(1f, Math.nextUp(descending.get(1))) : 1f;
        }
        if (i + 1 >= descending.size()) {
            // The lowest score may be 0 (images without a cell at all): a threshold must stay above it, and an image
            // with no cell is never called ALL.
            return Math.max(s, DetectionConfig.CANDIDATE_FLOOR);
        }
        return (s + descending.get(i + 1)) / 2;
    }
}
