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

    /** One image: whether blasts were detected in it and whether it is truly an ALL image. */
    public static ImageCounts of(boolean detectedAll, boolean labelAll) {
        return new ImageCounts(detectedAll && labelAll ? 1 : 0, detectedAll && !labelAll ? 1 : 0,
                !detectedAll && labelAll ? 1 : 0, !detectedAll && !labelAll ? 1 : 0);
    }

    /** The sum of two sets of counts. */
    public ImageCounts plus(ImageCounts o) {
        return new ImageCounts(truePositive + o.truePositive, falsePositive + o.falsePositive,
                falseNegative + o.falseNegative, trueNegative + o.trueNegative);
    }

    private double ratio(long num, long den) {
        return den == 0 ? (falsePositive == 0 && falseNegative == 0 ? 1.0 : 0.0) : (double) num / den;
    }

    /** tp / (tp + fn): the fraction of ALL images classified ALL. */
    public double sensitivity() {
        return ratio(truePositive, truePositive + falseNegative);
    }

    /** tn / (tn + fp): the fraction of healthy images classified healthy. */
    public double specificity() {
        return ratio(trueNegative, trueNegative + falsePositive);
    }

    /** (tp + tn) / all. */
    public double accuracy() {
        return ratio(truePositive + trueNegative, truePositive + falsePositive + falseNegative + trueNegative);
    }
}
