package dev.vnet.train;

/**
 * How predictions are turned into masks and cells for evaluation.
 *
 * @param threshold             a pixel is predicted blast when its probability is {@code >= threshold}
 * @param minArea               connected components with fewer pixels (at the model's resolution) are ignored
 * @param matchDistancePixels   the largest distance, in original-image pixels, at which a detected centroid
 *                              matches a true one; {@code <= 0} means {@link #matchDistanceFraction} of the
 *                              image width instead
 * @param matchDistanceFraction the matching distance as a fraction of the original image's width when
 *                              {@code matchDistancePixels <= 0}; 0.025 is half a blast diameter (a blast is about
 *                              1/20 of the image width in ALL-IDB1 and in the synthetic smears)
 */
public record EvaluationConfig(float threshold, int minArea, double matchDistancePixels, double matchDistanceFraction) {

    /** Threshold 0.5, components of at least 4 pixels, matching within 2.5% of the image width. */
    public static final EvaluationConfig DEFAULT = new EvaluationConfig(0.5f, 4, 0, 0.025);

    /**
     * Validates the values.
     *
     * @param threshold             a pixel is predicted blast when its probability is {@code >= threshold}
     * @param minArea               connected components with fewer pixels (at the model's resolution) are ignored
     * @param matchDistancePixels   the largest distance, in original-image pixels, at which a detected centroid
     *                              matches a true one; {@code <= 0} means {@link #matchDistanceFraction} of the image
     *                              width instead
     * @param matchDistanceFraction the matching distance as a fraction of the original image's width when
     *                              {@code matchDistancePixels <= 0}; 0.025 is half a blast diameter (a blast is about 1/20
     *                              of the image width in ALL-IDB1 and in the synthetic smears)
     */
    public EvaluationConfig {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("evaluation threshold must be in (0, 1), got " + threshold);
        }
        if (minArea < 1) {
            throw new IllegalArgumentException("evaluation minArea must be >= 1 pixel, got " + minArea);
        }
        if (matchDistancePixels <= 0 && !(matchDistanceFraction > 0)) {
            throw new IllegalArgumentException("evaluation needs matchDistancePixels > 0 or matchDistanceFraction > 0, got "
                    + matchDistancePixels + " and " + matchDistanceFraction);
        }
    }

    /**
     * {@return the matching distance, in pixels, for an image {@code originalWidth} pixels wide}
     *
     * @param originalWidth the image width in pixels
     */
    public double matchDistance(int originalWidth) {
        return matchDistancePixels > 0 ? matchDistancePixels : matchDistanceFraction * originalWidth;
    }
}
