package dev.vnet.io.synth;

/**
 * A microscope camera as ALL-IDB1 was photographed with: the frame size, the size of a blast in its pixels and the
 * colours of its photographs in CIE L*a*b* (OpenCV's 8-bit scale: L 0..255, a and b centred on 128), each as the
 * mean over images and the spread (standard deviation) from image to image. The two presets hold what was measured
 * on a real copy of ALL-IDB1 ({@code allidb1-card.md}); {@link #withSize} and {@link #scaled} derive cameras for
 * tests and for fast, reduced data.
 *
 * @param name        a short name, for captions and the command line
 * @param width       frame width in pixels, at least 64
 * @param height      frame height in pixels, at least 64
 * @param blastRadius typical radius in pixels of a whole blast (cytoplasm included); every cell size, distance and
 *                    count of the generator is set in pixels of a camera with {@value #REFERENCE_BLAST_RADIUS} and
 *                    scaled by {@code blastRadius / }{@value #REFERENCE_BLAST_RADIUS}
 * @param background  the brightest non-purple 30% of an image
 * @param redCells    the darkest non-purple 40% of an image
 * @param nuclei      the purple (nuclear-stained) pixels
 */
public record Camera(String name, int width, int height, double blastRadius,
                     LabSpread background, LabSpread redCells, LabSpread nuclei) {

    /** The blast radius, in pixels, of both real cameras: distances in the generator are given for it. */
    public static final double REFERENCE_BLAST_RADIUS = 60;

    /** The 2592×1944 camera of most ALL-IDB1 images: large brightness changes from image to image. */
    public static final Camera CAMERA_2592 = new Camera("2592", 2592, 1944, REFERENCE_BLAST_RADIUS,
            new LabSpread(160, 127, 136, 17, 1, 2),
            new LabSpread(132, 135, 135, 18, 2, 2),
            new LabSpread(81, 159, 98, 15, 5, 6));

    /** The 1712×1368 camera of ALL-IDB1's Im001–Im033: darker nuclei, steady brightness. */
    public static final Camera CAMERA_1712 = new Camera("1712", 1712, 1368, REFERENCE_BLAST_RADIUS,
            new LabSpread(167, 127, 129, 6, 1, 1),
            new LabSpread(132, 135, 128, 4, 2, 1),
            new LabSpread(63, 164, 91, 6, 2, 2));

    /**
     * Per-image means of a region in 8-bit L*a*b* and their spread across images.
     *
     * @param l   mean L (0..255)
     * @param a   mean a (128 = neutral)
     * @param b   mean b (128 = neutral)
     * @param sdL standard deviation of L across images
     * @param sdA standard deviation of a across images
     * @param sdB standard deviation of b across images
     */
    public record LabSpread(double l, double a, double b, double sdL, double sdA, double sdB) {}

    /**
     * Validates the frame and the blast size.
     *
     * @param name        a short name
     * @param width       frame width in pixels, at least 64
     * @param height      frame height in pixels, at least 64
     * @param blastRadius blast radius in pixels, at least 4
     * @param background  background colours
     * @param redCells    red cell colours
     * @param nuclei      nucleus colours
     */
    public Camera {
        if (width < 64 || height < 64) {
            throw new IllegalArgumentException("camera " + name + ": frame must be at least 64x64, got "
                    + width + "x" + height);
        }
        if (!(blastRadius >= 4)) {
            throw new IllegalArgumentException("camera " + name + ": blast radius must be at least 4 px, got "
                    + blastRadius);
        }
    }

    /**
     * {@return the preset named {@code name}: {@code 2592} or {@code 1712}}
     *
     * @param name the preset's name
     * @throws IllegalArgumentException for another name
     */
    public static Camera preset(String name) {
        return switch (name) {
            case "2592" -> CAMERA_2592;
            case "1712" -> CAMERA_1712;
            default -> throw new IllegalArgumentException("unknown camera '" + name + "'; expected 2592 or 1712");
        };
    }

    /**
     * {@return this camera's cells and colours in a frame of another size (a crop of its photographs)}
     *
     * @param w width in pixels, at least 64
     * @param h height in pixels, at least 64
     */
    public Camera withSize(int w, int h) {
        return new Camera(name + "@" + w + "x" + h, w, h, blastRadius, background, redCells, nuclei);
    }

    /**
     * {@return this camera at a reduced (or enlarged) magnification: frame and every cell scaled by {@code factor},
     * colours kept, so a smear keeps its crowding and counts in fewer pixels}
     *
     * @param factor the scale, e.g. 0.25 for a quarter of the frame's width and of a blast's diameter
     */
    public Camera scaled(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("camera scale must be positive, got " + factor);
        }
        return new Camera(name + "x" + factor, (int) Math.round(width * factor), (int) Math.round(height * factor),
                blastRadius * factor, background, redCells, nuclei);
    }

    /** {@return the factor from the reference camera's pixels to this camera's: {@code blastRadius / 60}} */
    public double pixelScale() {
        return blastRadius / REFERENCE_BLAST_RADIUS;
    }
}
