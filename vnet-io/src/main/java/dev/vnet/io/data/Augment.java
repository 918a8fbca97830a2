package dev.vnet.io.data;

import dev.vnet.core.tensor.Rng;
import dev.vnet.ops.Image8;
import dev.vnet.ops.preprocess.PreparedSample;

/**
 * Random augmentation of a prepared sample: flips and 90-degree rotations applied identically to
 * the image and the mask, and mild colour jitter applied to the image only. Off by default
 * ({@link #NONE}), as in the published method.
 *
 * <p>The random choices for a sample depend only on the loader's seed, the epoch and the sample's
 * name ({@link #random}), so a run is reproducible whatever the threads do.
 *
 * @param flips      random horizontal and vertical flips
 * @param rotations  random rotation by 0, 90, 180 or 270 degrees (0 or 180 for images that are not
 *                   square, so that every sample keeps its shape)
 * @param brightness maximum relative change of brightness (0.1: factor in [0.9, 1.1]), 0 for none
 * @param contrast   maximum relative change of contrast around the image's mean, 0 for none
 * @param saturation maximum relative change of saturation (RGB images only), 0 for none
 */
public record Augment(boolean flips, boolean rotations, double brightness, double contrast, double saturation) {
    /** No augmentation. */
    public static final Augment NONE = new Augment(false, false, 0, 0, 0);

    /** Flips, rotations and colour jitter of 10 %. */
    public static final Augment STANDARD = new Augment(true, true, 0.1, 0.1, 0.1);

    /**
     * Checks the jitter amounts.
     *
     * @param flips      random horizontal and vertical flips
     * @param rotations  random rotation by 0, 90, 180 or 270 degrees (0 or 180 for images that are not square, so
     *                   that every sample keeps its shape)
     * @param brightness maximum relative change of brightness (0.1: factor in [0.9, 1.1]), 0 for none
     * @param contrast   maximum relative change of contrast around the image's mean, 0 for none
     * @param saturation maximum relative change of saturation (RGB images only), 0 for none
     */
    public Augment {
        check("brightness", brightness);
        check("contrast", contrast);
        check("saturation", saturation);
    }

    private static void check(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " jitter must be in [0, 1), got " + v);
        }
    }

    /** {@return whether this changes anything} */
    public boolean enabled() {
        return flips || rotations || brightness > 0 || contrast > 0 || saturation > 0;
    }

    /**
     * {@return the random stream for one sample in one epoch}
     *
     * @param seed       the run's seed
     * @param epoch      the epoch
     * @param sampleName the sample's name
     */
    public static Rng random(long seed, int epoch, String sampleName) {
        long h = seed;
        h = h * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0x9E3779B97F4A7C15L + sampleName.hashCode();
        return new Rng(h);
    }

    /**
     * Applies random choices drawn from {@code rng}; returns {@code sample} itself when disabled.
     *
     * @param sample the prepared image and mask
     * @param rng    the random source of this sample in this epoch
     * @return the augmented sample
     */
    public PreparedSample apply(PreparedSample sample, Rng rng) {
        if (!enabled()) {
            return sample;
        }
        boolean flipX = flips && rng.nextInt(2) == 1;
        boolean flipY = flips && rng.nextInt(2) == 1;
        int quarterTurns = rotations ? rng.nextInt(4) : 0;
        if (sample.image().width() != sample.image().height()) {
            // A quarter turn would swap width and height and break batching: turn by 0 or 180 degrees only.
            quarterTurns &= 2;
        }
        double b = 1 + brightness * (2 * rng.nextDouble() - 1);
        double c = 1 + contrast * (2 * rng.nextDouble() - 1);
        double s = 1 + saturation * (2 * rng.nextDouble() - 1);
        Image8 image = transform(sample.image(), flipX, flipY, quarterTurns);
        Image8 mask = transform(sample.mask(), flipX, flipY, quarterTurns);
        if (brightness > 0 || contrast > 0 || saturation > 0) {
            image = jitter(image, b, c, s);
        }
        return new PreparedSample(image, mask);
    }

    /**
     * Flips (about the vertical axis for {@code flipX}, the horizontal for {@code flipY}) then
     * rotates clockwise by {@code quarterTurns} * 90 degrees. Pixel (x, y) of the result comes
     * from one pixel of the source, so masks stay binary.
     *
     * @param src          the image
     * @param flipX        mirror left to right
     * @param flipY        mirror top to bottom
     * @param quarterTurns quarter turns, 0 to 3
     * @return the transformed image, a new one
     */
    public static Image8 transform(Image8 src, boolean flipX, boolean flipY, int quarterTurns) {
        int w = src.width();
        int h = src.height();
        int ch = src.channels();
        int turns = Math.floorMod(quarterTurns, 4);
        int ow = turns % 2 == 0 ? w : h;
        int oh = turns % 2 == 0 ? h : w;
        byte[] in = src.data();
        byte[] out = new byte[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // Undo the rotation: the clockwise-rotated pixel (x, y) is the flipped pixel (sx, sy).
                int sx;
                int sy;
                switch (turns) {
                    case 0 -> { sx = x; sy = y; }
                    case 1 -> { sx = y; sy = h - 1 - x; }
                    case 2 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                if (flipX) {
                    sx = w - 1 - sx;
                }
                if (flipY) {
                    sy = h - 1 - sy;
                }
                System.arraycopy(in, (sy * w + sx) * ch, out, (y * ow + x) * ch, ch);
            }
        }
        return new Image8(ow, oh, ch, out);
    }

    /** Saturation (blend with each pixel's gray), then contrast around the image mean, then brightness. */
    static Image8 jitter(Image8 src, double brightness, double contrast, double saturation) {
        byte[] in = src.data();
        int ch = src.channels();
        double mean = 0;
        for (byte v : in) {
            mean += v & 0xFF;
        }
        mean /= in.length;
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i += ch) {
            double gray = ch == 3 ? 0.299 * (in[i] & 0xFF) + 0.587 * (in[i + 1] & 0xFF) + 0.114 * (in[i + 2] & 0xFF) : 0;
            for (int c = 0; c < ch; c++) {
                double v = in[i + c] & 0xFF;
                if (ch == 3) {
                    v = gray + saturation * (v - gray);
                }
                v = (mean + contrast * (v - mean)) * brightness;
                out[i + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new Image8(src.width(), src.height(), ch, out);
    }
}
