package dev.vnet.ops;

/**
 * Image resizing that gives the same bytes as OpenCV 4.6's {@code cv::resize} on 8-bit images with 1
 * or 3 channels, called with a destination size ({@code cv2.resize(img, (width, height), interpolation=...)}).
 *
 * <p>What OpenCV does, and so what this class does:
 * <ul>
 *   <li>{@link Interpolation#LINEAR}: the source coordinate of destination pixel {@code d} is
 *       {@code (d + 0.5) * scale - 0.5} (scale = source size / destination size), clamped to the first
 *       and last pixel along x. The two horizontal weights are rounded to 11 bits
 *       ({@code INTER_RESIZE_COEF_BITS}); the vertical pass rounds the weights the same way and combines the
 *       two rows as {@code (((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16) + 2) >> 2}. An exact 2x
 *       downscale in both directions is computed as {@link Interpolation#AREA} instead.</li>
 *   <li>{@link Interpolation#AREA}: for downscales, every destination pixel is the area-weighted mean of the
 *       source pixels it covers (an integer factor uses integer sums; other factors use OpenCV's float
 *       weight tables). For upscales (in either direction) OpenCV falls back to a bilinear interpolation whose
 *       weights come from pixel overlaps; that is reproduced too.</li>
 *   <li>{@link Interpolation#NEAREST}: source pixel {@code min(floor(d * scale), size - 1)} (no half-pixel shift).
 *       This is the mode for masks: it never invents values.</li>
 * </ul>
 * Large images are processed on {@link RowBands} threads; the result does not depend on the thread count.
 *
 * <p>The paths live beside this class: {@code ResizeNearest}, {@code ResizeArea} (integer and any downscale
 * factors), {@code ResizeLinear} (bilinear, and the area mode's upscales), and {@code ResizeNaive}, the same
 * arithmetic one destination pixel at a time, which the tests hold every path to.
 */
public final class Resize {
    private static final double DBL_EPSILON = Math.ulp(1.0);

    /** The interpolation methods; each matches the OpenCV flag of the same name. */
    public enum Interpolation {
        /** {@code cv2.INTER_NEAREST}. */
        NEAREST,
        /** {@code cv2.INTER_LINEAR}. */
        LINEAR,
        /** {@code cv2.INTER_AREA}. */
        AREA
    }

    private Resize() {}

    /**
     * Resizes {@code src} to {@code dstWidth x dstHeight}; same-size calls return a copy.
     *
     * @param src           a 1- or 3-channel image
     * @param dstWidth      target width in pixels
     * @param dstHeight     target height in pixels
     * @param interpolation the interpolation
     * @return the resized image, a new one
     * @throws IllegalArgumentException if a destination size is not positive or {@code interpolation} is null
     */
    public static Image8 apply(Image8 src, int dstWidth, int dstHeight, Interpolation interpolation) {
        requireArguments(src, dstWidth, dstHeight, interpolation);
        Path path = path(src.width(), src.height(), dstWidth, dstHeight, interpolation);
        if (path == Path.COPY) {
            return src.copy();
        }
        Image8 dst = new Image8(dstWidth, dstHeight, src.channels());
        double invScaleX = (double) dstWidth / src.width();
        double invScaleY = (double) dstHeight / src.height();
        double scaleX = 1.0 / invScaleX;
        double scaleY = 1.0 / invScaleY;
        switch (path) {
            case NEAREST -> ResizeNearest.apply(src, dst, invScaleX, invScaleY);
            case AREA_INTEGER -> ResizeArea.integerFactor(src, dst, (int) Math.rint(scaleX), (int) Math.rint(scaleY));
            case AREA_FRACTIONAL -> ResizeArea.anyFactor(src, dst, scaleX, scaleY);
            case LINEAR, AREA_UPSCALE -> ResizeLinear.apply(src, dst, scaleX, scaleY, invScaleX, invScaleY,
                    path == Path.AREA_UPSCALE);
            default -> throw new IllegalStateException("resize: no implementation of " + path);
        }
        return dst;
    }

    /**
     * Resizes the gray version of {@code src}: the same bytes as
     * {@code apply(ColorConvert.toGray(src), dstWidth, dstHeight, interpolation)}, in less time when a LINEAR
     * resize of an RGB image reads only a few of its rows (a downscale to at most half the height, e.g. 2592x1944
     * to 256x256): only the rows it reads are converted to gray.
     *
     * @param src           a 1- or 3-channel (RGB) image
     * @param dstWidth      target width in pixels
     * @param dstHeight     target height in pixels
     * @param interpolation the interpolation
     * @return the resized gray image, a new one
     * @throws IllegalArgumentException if a destination size is not positive or {@code interpolation} is null
     */
    public static Image8 grayThenApply(Image8 src, int dstWidth, int dstHeight, Interpolation interpolation) {
        requireArguments(src, dstWidth, dstHeight, interpolation);
        if (src.channels() != 3 || src.height() < 2 * dstHeight
                || path(src.width(), src.height(), dstWidth, dstHeight, interpolation) != Path.LINEAR) {
            return apply(ColorConvert.toGray(src), dstWidth, dstHeight, interpolation);
        }
        Image8 dst = new Image8(dstWidth, dstHeight, 1);
        double invScaleX = (double) dstWidth / src.width();
        double invScaleY = (double) dstHeight / src.height();
        ResizeLinear.grayDownscale(src, dst, 1.0 / invScaleX, 1.0 / invScaleY, invScaleX, invScaleY,
                VectorFilters.active());
        return dst;
    }

    private static void requireArguments(Image8 src, int dstWidth, int dstHeight, Interpolation interpolation) {
        if (dstWidth <= 0 || dstHeight <= 0) {
            throw new IllegalArgumentException("resize: destination size must be positive, got "
                    + dstWidth + "x" + dstHeight);
        }
        if (interpolation == null) {
            throw new IllegalArgumentException("resize: interpolation is null, expected NEAREST, LINEAR or AREA");
        }
        Image8.requireChannels("resize source", src.channels(), 1, 3);
    }

    /** The computations OpenCV chooses between, by interpolation and scale. */
    enum Path {
        /** Same size: a copy. */
        COPY,
        /** {@link Interpolation#NEAREST}. */
        NEAREST,
        /** {@link Interpolation#AREA} down by whole factors in both directions (and LINEAR at exactly half size). */
        AREA_INTEGER,
        /** {@link Interpolation#AREA} down (or to the same size in one direction) by other factors. */
        AREA_FRACTIONAL,
        /** {@link Interpolation#LINEAR}. */
        LINEAR,
        /** {@link Interpolation#AREA} up in either direction: bilinear with weights from pixel overlaps. */
        AREA_UPSCALE
    }

    /** {@return the computation OpenCV uses to resize {@code sw × sh} to {@code dw × dh} with {@code interpolation}} */
    static Path path(int sw, int sh, int dw, int dh, Interpolation interpolation) {
        if (sw == dw && sh == dh) {
            return Path.COPY;
        }
        if (interpolation == Interpolation.NEAREST) {
            return Path.NEAREST;
        }
        double scaleX = 1.0 / ((double) dw / sw);
        double scaleY = 1.0 / ((double) dh / sh);
        int iscaleX = (int) Math.rint(scaleX);
        int iscaleY = (int) Math.rint(scaleY);
        boolean areaFast = Math.abs(scaleX - iscaleX) < DBL_EPSILON && Math.abs(scaleY - iscaleY) < DBL_EPSILON;
        Interpolation mode = interpolation;
        if (mode == Interpolation.LINEAR && areaFast && iscaleX == 2 && iscaleY == 2) {
            mode = Interpolation.AREA; // OpenCV: the 2x2 box mean is what bilinear gives at exactly half size
        }
        if (mode == Interpolation.AREA && scaleX >= 1 && scaleY >= 1) {
            return areaFast ? Path.AREA_INTEGER : Path.AREA_FRACTIONAL;
        }
        return mode == Interpolation.AREA ? Path.AREA_UPSCALE : Path.LINEAR;
    }
}
