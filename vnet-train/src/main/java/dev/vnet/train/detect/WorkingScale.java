package dev.vnet.train.detect;

import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Resize;

/**
 * The scale at which the detector sees a smear, set by the size of the cells rather than by the size of the
 * photograph: an image is resized so that a blast of {@code blastDiameter} original pixels becomes
 * {@code targetDiameter} pixels across. Blasts are about the same size in pixels on both cameras of ALL-IDB1
 * (95–130 px, ≈ 112 px typical), so both give the network cells of the same size, whatever the image width.
 *
 * @param blastDiameter  the expected blast diameter in pixels of the original image (ALL-IDB1: ≈ 112)
 * @param targetDiameter the blast diameter the network sees, in working pixels (24–32 keeps the nuclear texture
 *                       while a V-Net's receptive field covers a cell and its neighbours)
 */
public record WorkingScale(double blastDiameter, double targetDiameter) {

    /** The typical blast diameter of ALL-IDB1 in original pixels (the card: 95–130 px, median blob ≈ 118 px). */
    public static final double ALL_IDB1_BLAST_DIAMETER = 112;

    /** The blast diameter at the working scale that the presets aim for. */
    public static final double DEFAULT_TARGET_DIAMETER = 28;

    /**
     * Validates the diameters.
     *
     * @param blastDiameter  the expected blast diameter in pixels of the original image
     * @param targetDiameter the blast diameter the network sees, in working pixels
     */
    public WorkingScale {
        if (!(blastDiameter > 0) || Double.isInfinite(blastDiameter)) {
            throw new IllegalArgumentException("blast diameter must be > 0 original pixels, got " + blastDiameter);
        }
        if (!(targetDiameter >= 4) || Double.isInfinite(targetDiameter)) {
            throw new IllegalArgumentException("target blast diameter must be >= 4 working pixels, got " + targetDiameter);
        }
    }

    /** {@return the scale of ALL-IDB1: a blast of 112 px becomes 28 px, a factor of 1/4 on both cameras} */
    public static WorkingScale allIdb1() {
        return new WorkingScale(ALL_IDB1_BLAST_DIAMETER, DEFAULT_TARGET_DIAMETER);
    }

    /** {@return working pixels per original pixel (0.25 for ALL-IDB1)} */
    public double factor() {
        return targetDiameter / blastDiameter;
    }

    /**
     * {@return the working-scale width or height of an original extent: rounded, at least 1}
     *
     * @param originalPixels a width or height in original pixels
     */
    public int workingSize(int originalPixels) {
        return Math.max(1, (int) Math.round(originalPixels * factor()));
    }

    /**
     * The image at the working scale: RGB (a gray image is repeated in three channels), resized with pixel-area
     * averaging ({@code cv2.INTER_AREA}), which keeps the mean colour of a nucleus when it shrinks.
     *
     * @param original the image, gray or RGB, any size
     * @return the image at {@link #workingSize} of both sides
     */
    public Image8 apply(Image8 original) {
        Image8 rgb = original.channels() == 1 ? ColorConvert.grayToRgb(original) : original;
        int w = workingSize(rgb.width());
        int h = workingSize(rgb.height());
        if (w == rgb.width() && h == rgb.height()) {
            return rgb.copy();
        }
        boolean shrinking = w < rgb.width() || h < rgb.height();
        return Resize.apply(rgb, w, h, shrinking ? Resize.Interpolation.AREA : Resize.Interpolation.LINEAR);
    }

    /**
     * {@return a coordinate of the original image at the working scale of an image resized from {@code original} to
     * {@code working} pixels along that axis (pixel centres map onto pixel centres, as the resize does)}
     *
     * @param x        a coordinate in original pixels
     * @param original the image's extent along that axis, original pixels
     * @param working  the same extent at the working scale
     */
    public static double toWorking(double x, int original, int working) {
        return (x + 0.5) * working / original - 0.5;
    }

    /**
     * {@return the inverse of {@link #toWorking}: a working-scale coordinate in original pixels}
     *
     * @param x        a coordinate in working pixels
     * @param original the image's extent along that axis, original pixels
     * @param working  the same extent at the working scale
     */
    public static double toOriginal(double x, int original, int working) {
        return (x + 0.5) * original / working - 0.5;
    }
}
