package dev.vnet.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cell-level counts as the ALL-IDB protocol scores them: detected cell centroids matched one to one
 * to the true ones ({@code .xyc}) within a distance.
 *
 * <p><b>Matching</b> is greedy by distance: every (detected, true) pair closer than the maximum
 * distance is sorted by distance (ties broken by the true index, then the detected index, so the
 * result is deterministic), and pairs are taken in that order when neither point is already matched.
 * On well-separated cells this is the same as an optimal (Hungarian) assignment; on crowded ones it
 * can match slightly fewer pairs.
 *
 * <p>Ratios with a zero denominator follow the rule of {@link PixelCounts}: 1 when nothing is missed
 * and nothing is spurious, 0 otherwise.
 *
 * @param truePositive  detections matched to a true cell
 * @param falsePositive detections left unmatched
 * @param falseNegative true cells left unmatched
 */
public record CellMatch(long truePositive, long falsePositive, long falseNegative) {

    /** No cells. */
    public static final CellMatch EMPTY = new CellMatch(0, 0, 0);

    /** A point in pixels: {@code x} the column, {@code y} the row. */
    public record Point(double x, double y) {}

    /**
     * Validates that no count is negative.
     *
     * @param truePositive  detections matched to a true cell
     * @param falsePositive detections left unmatched
     * @param falseNegative true cells left unmatched
     */
    public CellMatch {
        if (truePositive < 0 || falsePositive < 0 || falseNegative < 0) {
            throw new IllegalArgumentException("cell counts must be >= 0, got tp=" + truePositive + " fp="
                    + falsePositive + " fn=" + falseNegative);
        }
    }

    /**
     * Matches detections to true centroids one to one, greedily by distance.
     *
     * @param detected    detected centroids
     * @param truth       true centroids, in the same pixel units
     * @param maxDistance the largest distance (inclusive) at which a detection may count for a true cell
     * @return the counts of matched, unmatched detected and unmatched true cells
     */
    public static CellMatch match(List<Point> detected, List<Point> truth, double maxDistance) {
        int[] m = assign(detected, truth, maxDistance);
        long tp = 0;
        for (int p : m) {
            if (p >= 0) {
                tp++;
            }
        }
        return new CellMatch(tp, detected.size() - tp, truth.size() - tp);
    }

    /**
     * The one-to-one matching of {@link #match} itself: for every true cell, the detection it is matched to.
     *
     * @param detected    detected centroids
     * @param truth       true centroids, in the same pixel units
     * @param maxDistance the largest distance (inclusive) at which a detection may count for a true cell
     * @return for each true cell (by index), the index of its detection, or -1 when it is missed
     */
    public static int[] assign(List<Point> detected, List<Point> truth, double maxDistance) {
        if (!(maxDistance >= 0)) {
            throw new IllegalArgumentException("cell matching: maxDistance must be >= 0, got " + maxDistance);
        }
        record Pair(double d, int t, int p) {}
        List<Pair> pairs = new ArrayList<>();
        double max2 = maxDistance * maxDistance;
        for (int t = 0; t < truth.size(); t++) {
            for (int p = 0; p < detected.size(); p++) {
                double dx = truth.get(t).x() - detected.get(p).x();
                double dy = truth.get(t).y() - detected.get(p).y();
                double d2 = dx * dx + dy * dy;
                if (d2 <= max2) {
                    pairs.add(new Pair(d2, t, p));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::d).thenComparingInt(Pair::t).thenComparingInt(Pair::p));
        int[] matchOf = new int[truth.size()];
        Arrays.fill(matchOf, -1);
        boolean[] usedP = new boolean[detected.size()];
        for (Pair pr : pairs) {
            if (matchOf[pr.t] < 0 && !usedP[pr.p]) {
                matchOf[pr.t] = pr.p;
                usedP[pr.p] = true;
            }
        }
        return matchOf;
    }

    /**
     * {@return the sum of two sets of counts}
     *
     * @param o the other counts
     */
    public CellMatch plus(CellMatch o) {
        return new CellMatch(truePositive + o.truePositive, falsePositive + o.falsePositive,
                falseNegative + o.falseNegative);
    }

    private double ratio(long num, long den) {
        return den == 0 ? (falsePositive == 0 && falseNegative == 0 ? 1.0 : 0.0) : (double) num / den;
    }

    /**
     * tp / (tp + fn): the fraction of true cells found.
     *
     * @return the sensitivity, or 0 when there is no true cell
     */
    public double sensitivity() {
        return ratio(truePositive, truePositive + falseNegative);
    }

    /**
     * tp / (tp + fp): the fraction of detections that are true cells.
     *
     * @return the precision, or 0 when nothing was detected
     */
    public double precision() {
        return ratio(truePositive, truePositive + falsePositive);
    }

    /**
     * 2·tp / (2·tp + fp + fn), the harmonic mean of sensitivity and precision.
     *
     * @return the F1 score, or 0 when there is neither a true nor a detected cell
     */
    public double f1() {
        return ratio(2 * truePositive, 2 * truePositive + falsePositive + falseNegative);
    }
}
