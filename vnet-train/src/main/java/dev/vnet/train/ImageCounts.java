package dev.vnet.train;

/**
 * Image-level counts as the ALL-IDB protocol scores them: an image with at least one detected blast
 * is classified ALL (label {@code _1}), an image with none healthy ({@code _0}).
 *
 * <p>Ratios with a zero denominator are 1 when there is no error of the other kind either and 0
 * otherwise (the rule of {@link PixelCounts}); e.g. the specificity of a set with no healthy image is 1.
 *
 * @param truePositive  ALL images classified ALL
 * @param falsePositive healthy images classified ALL
 * @param falseNegative ALL images classified healthy
 * @param trueNegative  healthy images classified healthy
 */
public record ImageCounts(long truePositive, long falsePositive, long falseNegative, long trueNegative) {

    /** No images. */
    public static final ImageCounts EMPTY = new ImageCounts(0, 0, 0, 0);

    /**
     * {@return one image: whether blasts were detected in it and whether it is truly an ALL image}
     *
     * @param detectedAll whether at least one blast was detected
     * @param labelAll    whether the image is an ALL image
     */
    public static ImageCounts of(boolean detectedAll, boolean labelAll) {
        return new ImageCounts(detectedAll && labelAll ? 1 : 0, detectedAll && !labelAll ? 1 : 0,
                !detectedAll && labelAll ? 1 : 0, !detectedAll && !labelAll ? 1 : 0);
    }

    /**
     * {@return the sum of two sets of counts}
     *
     * @param o the other counts
     */
    public ImageCounts plus(ImageCounts o) {
        return new ImageCounts(truePositive + o.truePositive, falsePositive + o.falsePositive,
                falseNegative + o.falseNegative, trueNegative + o.trueNegative);
    }

    private double ratio(long num, long den) {
        return den == 0 ? (falsePositive == 0 && falseNegative == 0 ? 1.0 : 0.0) : (double) num / den;
    }

    /**
     * tp / (tp + fn): the fraction of ALL images classified ALL.
     *
     * @return the sensitivity, or 0 without ALL images
     */
    public double sensitivity() {
        return ratio(truePositive, truePositive + falseNegative);
    }

    /**
     * tn / (tn + fp): the fraction of healthy images classified healthy.
     *
     * @return the specificity, or 0 without healthy images
     */
    public double specificity() {
        return ratio(trueNegative, trueNegative + falsePositive);
    }

    /**
     * (tp + tn) / all.
     *
     * @return the accuracy, or 0 without images
     */
    public double accuracy() {
        return ratio(truePositive + trueNegative, truePositive + falsePositive + falseNegative + trueNegative);
    }
}
