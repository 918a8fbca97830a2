package dev.vnet.train;

/**
 * Pixel-level confusion counts of a predicted binary mask against a true one.
 *
 * <p>A pixel is predicted positive when its probability is {@code >= threshold}, and truly positive
 * when its true-mask value is {@code >= 0.5}. Counts add up over images ({@link #plus}), so the
 * ratios of a whole set are computed from the summed counts (micro-averaged), not as a mean of
 * per-image ratios.
 *
 * <p><b>Empty masks.</b> A ratio whose denominator is 0 is defined as 1 when the prediction agrees
 * with the truth everywhere ({@code fp = fn = 0}: nothing to find, nothing found) and 0 otherwise.
 * So Dice and IoU of an empty prediction on an empty truth are 1, and recall of any prediction on an
 * empty truth is 1 only if it predicted nothing.
 *
 * <p><b>The empty-mask trap.</b> Blasts cover a small fraction of a smear, so predicting no blast at
 * all scores a high {@link #pixelAccuracy()}. {@link #backgroundAccuracy()} is exactly that score
 * (the fraction of truly negative pixels); a pixel accuracy is only informative next to it.
 *
 * @param truePositive  predicted blast, truly blast
 * @param falsePositive predicted blast, truly background
 * @param falseNegative predicted background, truly blast
 * @param trueNegative  predicted background, truly background
 */
public record PixelCounts(long truePositive, long falsePositive, long falseNegative, long trueNegative) {

    /** No pixels. */
    public static final PixelCounts EMPTY = new PixelCounts(0, 0, 0, 0);

    /**
     * Validates that no count is negative.
     *
     * @param truePositive  predicted blast, truly blast
     * @param falsePositive predicted blast, truly background
     * @param falseNegative predicted background, truly blast
     * @param trueNegative  predicted background, truly background
     */
    public PixelCounts {
        if (truePositive < 0 || falsePositive < 0 || falseNegative < 0 || trueNegative < 0) {
            throw new IllegalArgumentException("pixel counts must be >= 0, got tp=" + truePositive + " fp="
                    + falsePositive + " fn=" + falseNegative + " tn=" + trueNegative);
        }
    }

    /**
     * Counts {@code length} pixels starting at {@code offset} in both arrays.
     *
     * @param probabilities predicted probabilities (or any score compared with {@code threshold})
     * @param truth         true mask, 1 for blast and 0 for background
     * @param offset        index of the first pixel
     * @param length        the number of pixels
     * @param threshold     a pixel is predicted positive when its probability is {@code >= threshold}
     * @return the counts
     */
    public static PixelCounts of(float[] probabilities, float[] truth, int offset, int length, float threshold) {
        if (offset < 0 || length < 0 || offset + length > probabilities.length || offset + length > truth.length) {
            throw new IllegalArgumentException("pixel counts: range [" + offset + ", " + (offset + length)
                    + ") is outside the arrays (probabilities " + probabilities.length + ", truth " + truth.length + ")");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = offset; i < offset + length; i++) {
            boolean p = probabilities[i] >= threshold;
            boolean t = truth[i] >= 0.5f;
            if (p) {
                if (t) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (t) {
                fn++;
            } else {
                tn++;
            }
        }
        return new PixelCounts(tp, fp, fn, tn);
    }

    /**
     * Counts every pixel of two arrays of the same length.
     *
     * @param probabilities predicted probabilities
     * @param truth         the true mask, 0 or 1
     * @param threshold     the probability at or above which a pixel is blast
     * @return the counts
     */
    public static PixelCounts of(float[] probabilities, float[] truth, float threshold) {
        if (probabilities.length != truth.length) {
            throw new IllegalArgumentException("pixel counts: probabilities have " + probabilities.length
                    + " values but the truth has " + truth.length);
        }
        return of(probabilities, truth, 0, truth.length, threshold);
    }

    /**
     * {@return the sum of two sets of counts}
     *
     * @param o the other counts
     */
    public PixelCounts plus(PixelCounts o) {
        return new PixelCounts(truePositive + o.truePositive, falsePositive + o.falsePositive,
                falseNegative + o.falseNegative, trueNegative + o.trueNegative);
    }

    /** {@return the number of pixels counted} */
    public long total() {
        return truePositive + falsePositive + falseNegative + trueNegative;
    }

    private boolean perfect() {
        return falsePositive == 0 && falseNegative == 0;
    }

    private double ratio(long num, long den) {
        return den == 0 ? (perfect() ? 1.0 : 0.0) : (double) num / den;
    }

    /**
     * (tp + tn) / all.
     *
     * @return the pixel accuracy
     */
    public double pixelAccuracy() {
        return ratio(truePositive + trueNegative, total());
    }

    /** {@return the pixel accuracy of predicting no blast at all: (fp + tn) / all, the truly negative fraction} */
    public double backgroundAccuracy() {
        long all = total();
        return all == 0 ? 1.0 : (double) (falsePositive + trueNegative) / all;
    }

    /**
     * 2·tp / (2·tp + fp + fn).
     *
     * @return the Dice coefficient, or 1 when there is no blast pixel in either mask
     */
    public double dice() {
        return ratio(2 * truePositive, 2 * truePositive + falsePositive + falseNegative);
    }

    /**
     * tp / (tp + fp + fn), the Jaccard index.
     *
     * @return the IoU, or 1 when there is no blast pixel in either mask
     */
    public double iou() {
        return ratio(truePositive, truePositive + falsePositive + falseNegative);
    }

    /**
     * tp / (tp + fp).
     *
     * @return the precision
     */
    public double precision() {
        return ratio(truePositive, truePositive + falsePositive);
    }

    /**
     * tp / (tp + fn).
     *
     * @return the recall
     */
    public double recall() {
        return ratio(truePositive, truePositive + falseNegative);
    }
}
