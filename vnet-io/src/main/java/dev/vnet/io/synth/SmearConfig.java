package dev.vnet.io.synth;

import dev.vnet.io.ImageFiles;

/**
 * What {@link SmearGenerator} renders and {@link SyntheticDataset} writes.
 *
 * @param imageCount  number of images, at least 1
 * @param width       image width in pixels, at least 64; without a camera every cell size scales with it
 * @param height      image height in pixels, at least 64
 * @param allFraction fraction of images that come from an ALL patient ({@code _1}, with blasts), in [0, 1]
 * @param seed        the seed that decides every image
 * @param minBlasts   fewest blasts in an ALL image, at least 1
 * @param maxBlasts   most blasts in an ALL image, at least {@code minBlasts}
 * @param jpegQuality JPEG quality (1..100) used when images are written
 * @param camera      the camera whose photographs the smears imitate (sizes in pixels, crowding, counts and colours
 *                    of ALL-IDB1), or {@code null} for the simpler world whose cell sizes scale with the width
 * @param unlabelledShare share of blasts, in [0, 1), drawn but left out of the {@code .xyc} file, as the real
 *                    labels miss some
 */
public record SmearConfig(int imageCount, int width, int height, double allFraction, long seed,
                          int minBlasts, int maxBlasts, int jpegQuality, Camera camera, double unlabelledShare) {

    /** Share of ALL images in ALL-IDB1: 49 of 108. */
    public static final double ALL_IDB1_ALL_FRACTION = 49.0 / 108;

    /**
     * Validates every field.
     *
     * @param imageCount  number of images, at least 1
     * @param width       image width in pixels, at least 64; every cell size scales with it
     * @param height      image height in pixels, at least 64
     * @param allFraction fraction of images that come from an ALL patient ({@code _1}, with blasts), in [0, 1]
     * @param seed        the seed that decides every image
     * @param minBlasts   fewest blasts in an ALL image, at least 1
     * @param maxBlasts   most blasts in an ALL image, at least {@code minBlasts}
     * @param jpegQuality JPEG quality (1..100) used when images are written
     * @param camera      the camera imitated, or {@code null}; when given, its frame is the image size
     * @param unlabelledShare share of blasts left unlabelled, in [0, 1)
     */
    public SmearConfig {
        if (imageCount < 1) {
            throw new IllegalArgumentException("imageCount must be >= 1, got " + imageCount);
        }
        if (width < 64 || height < 64) {
            throw new IllegalArgumentException("image size must be at least 64x64, got " + width + "x" + height);
        }
        // In 64 bits: 100000 × 100000 overflows an int. A smear the image readers would refuse is refused here.
        long pixels = (long) width * height;
        long maxPixels = ImageFiles.maxPixels();
        if (pixels > maxPixels) {
            throw new IllegalArgumentException("image size must be at most " + maxPixels + " pixels (the system property "
                    + ImageFiles.MAX_PIXELS_PROPERTY + "), got " + width + "x" + height + " = " + pixels);
        }
        if (!(allFraction >= 0 && allFraction <= 1)) {
            throw new IllegalArgumentException("allFraction must be in [0, 1], got " + allFraction);
        }
        if (minBlasts < 1 || maxBlasts < minBlasts) {
            throw new IllegalArgumentException("blast count range must satisfy 1 <= min <= max, got "
                    + minBlasts + ".." + maxBlasts);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("jpegQuality must be in 1..100, got " + jpegQuality);
        }
        if (camera != null && (camera.width() != width || camera.height() != height)) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " differs from camera "
                    + camera.name() + "'s frame " + camera.width() + "x" + camera.height());
        }
        if (!(unlabelledShare >= 0 && unlabelledShare < 1)) {
            throw new IllegalArgumentException("unlabelledShare must be in [0, 1), got " + unlabelledShare);
        }
    }

    /**
     * A configuration of the simpler world (no camera, every label written).
     *
     * @param imageCount  number of images, at least 1
     * @param width       image width in pixels, at least 64; every cell size scales with it
     * @param height      image height in pixels, at least 64
     * @param allFraction fraction of ALL images, in [0, 1]
     * @param seed        the seed that decides every image
     * @param minBlasts   fewest blasts in an ALL image, at least 1
     * @param maxBlasts   most blasts in an ALL image, at least {@code minBlasts}
     * @param jpegQuality JPEG quality (1..100)
     */
    public SmearConfig(int imageCount, int width, int height, double allFraction, long seed,
                       int minBlasts, int maxBlasts, int jpegQuality) {
        this(imageCount, width, height, allFraction, seed, minBlasts, maxBlasts, jpegQuality, null, 0);
    }

    /**
     * Smears like the photographs of {@code camera}: 40 images, ALL-IDB1's share of ALL images, 1 to 32 blasts
     * per ALL image drawn as in ALL-IDB1 (fewer in a frame smaller than the real ones), clustered blasts,
     * normal white cells and smudged cells in their real numbers, the camera's colours; seed 1, JPEG quality 90,
     * every blast labelled.
     *
     * @param camera the camera, e.g. {@link Camera#CAMERA_1712} or a {@link Camera#scaled} one for fast data
     * @return the configuration
     */
    public static SmearConfig realistic(Camera camera) {
        return new SmearConfig(40, camera.width(), camera.height(), ALL_IDB1_ALL_FRACTION, 1L, 1, 32, 90, camera, 0);
    }

    /**
     * The simpler world (every size scaled with the width, a few blasts spread apart): 40 images of 640x480, half of them ALL with 1 to 8 blasts each, seed 1, JPEG quality 90.
     *
     * @return the default configuration
     */
    public static SmearConfig defaults() {
        return new SmearConfig(40, 640, 480, 0.5, 1L, 1, 8, 90);
    }

    /**
     * {@return this configuration with another image count}
     *
     * @param n the number of images, at least 1
     */
    public SmearConfig withImageCount(int n) {
        return new SmearConfig(n, width, height, allFraction, seed, minBlasts, maxBlasts, jpegQuality, camera,
                unlabelledShare);
    }

    /**
     * {@return this configuration with another image size}
     *
     * @param w width in pixels, at least 64
     * @param h height in pixels, at least 64
     */
    public SmearConfig withSize(int w, int h) {
        return new SmearConfig(imageCount, w, h, allFraction, seed, minBlasts, maxBlasts, jpegQuality,
                camera == null ? null : camera.withSize(w, h), unlabelledShare);
    }

    /**
     * {@return this configuration with another fraction of ALL images}
     *
     * @param f the fraction, in [0, 1]
     */
    public SmearConfig withAllFraction(double f) {
        return new SmearConfig(imageCount, width, height, f, seed, minBlasts, maxBlasts, jpegQuality, camera,
                unlabelledShare);
    }

    /**
     * {@return this configuration with another seed}
     *
     * @param s the seed
     */
    public SmearConfig withSeed(long s) {
        return new SmearConfig(imageCount, width, height, allFraction, s, minBlasts, maxBlasts, jpegQuality, camera,
                unlabelledShare);
    }

    /**
     * {@return this configuration with another range of blasts per ALL image}
     *
     * @param min fewest blasts, at least 1
     * @param max most blasts, at least {@code min}
     */
    public SmearConfig withBlasts(int min, int max) {
        return new SmearConfig(imageCount, width, height, allFraction, seed, min, max, jpegQuality, camera,
                unlabelledShare);
    }

    /**
     * {@return this configuration with another JPEG quality}
     *
     * @param q the quality, 1..100
     */
    public SmearConfig withJpegQuality(int q) {
        return new SmearConfig(imageCount, width, height, allFraction, seed, minBlasts, maxBlasts, q, camera,
                unlabelledShare);
    }

    /**
     * {@return this configuration imitating another camera (its frame becomes the image size), or the simpler
     * world for {@code null}}
     *
     * @param c the camera, or {@code null}
     */
    public SmearConfig withCamera(Camera c) {
        return new SmearConfig(imageCount, c == null ? width : c.width(), c == null ? height : c.height(),
                allFraction, seed, minBlasts, maxBlasts, jpegQuality, c, unlabelledShare);
    }

    /**
     * {@return this configuration with a share of blasts left out of the {@code .xyc} files}
     *
     * @param share the share, in [0, 1)
     */
    public SmearConfig withUnlabelledShare(double share) {
        return new SmearConfig(imageCount, width, height, allFraction, seed, minBlasts, maxBlasts, jpegQuality,
                camera, share);
    }
}
