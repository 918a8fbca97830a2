package dev.vnet.ops.preprocess;

import dev.vnet.ops.Resize;

/**
 * How an image and its true mask are prepared for the model; the same settings are used in training, in
 * evaluation and by the segmenter, and are saved with every checkpoint (the component names are the names of the
 * fields of {@code "preprocess"} in {@code config.json}). {@link #paper()} is the method's preprocessing, the one
 * place that says what it is.
 *
 * <p>Order: gray (if {@code gray}) → resize to {@code width × height} (bilinear) → Gaussian blur →
 * median blur → CLAHE, as the {@link Pipeline} of {@link #pipeline()}. A step with a size of 0 is skipped.
 * True masks are filled circles drawn at the original resolution around every {@code .xyc} centre and resized
 * with nearest neighbour ({@link Pipeline#mask}).
 *
 * @param gray                convert to one gray channel (the method) instead of keeping RGB
 * @param width               model input width in pixels
 * @param height              model input height in pixels
 * @param gaussianKernel      Gaussian kernel size (odd), 0 = skip
 * @param gaussianSigma       Gaussian sigma; 0 = derived from the kernel size as OpenCV does
 * @param medianKernel        median kernel size (odd), 0 = skip
 * @param claheClip           CLAHE clip limit, 0 = skip CLAHE
 * @param claheTilesX         CLAHE tiles across
 * @param claheTilesY         CLAHE tiles down
 * @param maskRadius          circle radius in original-image pixels (the method: 25); used when
 *                            {@code maskRadiusFraction} is 0
 * @param maskRadiusFraction  circle radius as a fraction of the original image width (0 = use {@code maskRadius})
 */
public record PreprocessConfig(boolean gray, int width, int height, int gaussianKernel, double gaussianSigma,
                                 int medianKernel, double claheClip, int claheTilesX, int claheTilesY,
                                 int maskRadius, double maskRadiusFraction) {

    /**
     * Validates the values.
     *
     * @param gray               convert to one gray channel (the method) instead of keeping RGB
     * @param width              model input width in pixels
     * @param height             model input height in pixels
     * @param gaussianKernel     Gaussian kernel size (odd), 0 = skip
     * @param gaussianSigma      Gaussian sigma; 0 = derived from the kernel size as OpenCV does
     * @param medianKernel       median kernel size (odd), 0 = skip
     * @param claheClip          CLAHE clip limit, 0 = skip CLAHE
     * @param claheTilesX        CLAHE tiles across
     * @param claheTilesY        CLAHE tiles down
     * @param maskRadius         circle radius in original-image pixels (the method: 25); used when
     *                           {@code maskRadiusFraction} is 0
     * @param maskRadiusFraction circle radius as a fraction of the original image width (0 = use {@code maskRadius})
     */
    public PreprocessConfig {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("input size must be at least 16x16, got " + width + "x" + height);
        }
        if (gaussianKernel < 0 || (gaussianKernel > 0 && gaussianKernel % 2 == 0)) {
            throw new IllegalArgumentException("Gaussian kernel must be 0 (off) or odd, got " + gaussianKernel);
        }
        if (medianKernel < 0 || (medianKernel > 0 && medianKernel % 2 == 0)) {
            throw new IllegalArgumentException("median kernel must be 0 (off) or odd, got " + medianKernel);
        }
        if (claheClip < 0 || (claheClip > 0 && (claheTilesX < 1 || claheTilesY < 1))) {
            throw new IllegalArgumentException("CLAHE needs clip >= 0 and tiles >= 1, got " + claheClip + ":"
                    + claheTilesX + ":" + claheTilesY);
        }
        if (maskRadius < 0 || maskRadiusFraction < 0 || (maskRadius == 0 && maskRadiusFraction == 0)) {
            throw new IllegalArgumentException("mask radius must be > 0 (pixels) or radius fraction > 0, got "
                    + maskRadius + " and " + maskRadiusFraction);
        }
    }

    /**
     * {@return the method's preprocessing with this library's documented defaults: gray; resize to 256×256 with
     * bilinear interpolation (cv2's default {@code INTER_LINEAR}); Gaussian blur 5×5 with sigma from the kernel size
     * (OpenCV's fixed 1 4 6 4 1 table); median blur 5×5; CLAHE with clip limit 2.0 on an 8×8 tile grid; true masks of
     * discs of radius 25 px in original-image pixels}
     */
    public static PreprocessConfig paper() {
        return new PreprocessConfig(true, 256, 256, 5, 0, 5, 2.0, 8, 8, 25, 0);
    }

    /** {@return the input channel count} */
    public int channels() {
        return gray ? 1 : 3;
    }

    /**
     * {@return the circle radius in pixels for an original image {@code originalWidth} pixels wide}
     *
     * @param originalWidth the image width in pixels
     */
    public int radiusFor(int originalWidth) {
        return maskRadiusFraction > 0 ? Math.max(1, (int) Math.round(maskRadiusFraction * originalWidth)) : maskRadius;
    }

    /**
     * The image steps: gray (if {@code gray}), bilinear resize to {@code width × height}, then the Gaussian,
     * median and CLAHE steps whose size is not 0, in the method's order.
     *
     * @return the pipeline
     */
    public Pipeline pipeline() {
        Pipeline.Builder b = Pipeline.builder();
        if (gray) {
            b.gray();
        }
        b.resize(width, height, Resize.Interpolation.LINEAR);
        if (gaussianKernel > 0) {
            b.gaussian(gaussianKernel, gaussianSigma);
        }
        if (medianKernel > 0) {
            b.median(medianKernel);
        }
        if (claheClip > 0) {
            b.clahe(claheClip, claheTilesX, claheTilesY);
        }
        return b.build();
    }

    /**
     * {@return these settings at another input size}
     *
     * @param w width in pixels
     * @param h height in pixels
     */
    public PreprocessConfig withSize(int w, int h) {
        return new PreprocessConfig(gray, w, h, gaussianKernel, gaussianSigma, medianKernel, claheClip, claheTilesX,
                claheTilesY, maskRadius, maskRadiusFraction);
    }
}
