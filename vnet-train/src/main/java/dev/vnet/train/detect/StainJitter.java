package dev.vnet.train.detect;

import dev.vnet.core.tensor.Rng;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;

/**
 * Random changes of stain and exposure, in CIE L*a*b* (OpenCV's 8-bit scale), drawn once per patch: the lightness
 * is stretched around the patch's mean by a contrast factor and shifted, and the two colour axes are shifted. The
 * spreads follow the image-to-image spread of the data card (background and nuclei: L SD 15–18 on the
 * 2592-wide camera, 4–6 on the other; a SD 1–5; b SD 1–6).
 *
 * @param lightness SD of the lightness shift, in L units (0–255)
 * @param contrast  largest relative change of the lightness contrast (0.15: a factor in [0.85, 1.15])
 * @param a         SD of the shift along a (green–magenta)
 * @param b         SD of the shift along b (blue–yellow)
 */
public record StainJitter(double lightness, double contrast, double a, double b) {

    /** The spread of ALL-IDB1's two cameras. */
    public static final StainJitter CARD = new StainJitter(12, 0.15, 3, 4);

    /** No change. */
    public static final StainJitter NONE = new StainJitter(0, 0, 0, 0);

    /**
     * Validates the spreads.
     *
     * @param lightness SD of the lightness shift, in L units (0–255)
     * @param contrast  largest relative change of the lightness contrast, in [0, 1)
     * @param a         SD of the shift along a
     * @param b         SD of the shift along b
     */
    public StainJitter {
        if (!(lightness >= 0 && a >= 0 && b >= 0 && contrast >= 0 && contrast < 1)) {
            throw new IllegalArgumentException("stain jitter needs SDs >= 0 and contrast in [0, 1), got L " + lightness
                    + ", contrast " + contrast + ", a " + a + ", b " + b);
        }
    }

    /**
     * {@return {@code rgb} with one random change drawn from {@code rng}; {@code rgb} itself when this is NONE}
     *
     * @param rgb a 3-channel image
     * @param rng the patch's random stream
     */
    public Image8 apply(Image8 rgb, Rng rng) {
        if (equals(NONE)) {
            return rgb;
        }
        // Each shift is cut at 2.5 SD: a rare draw beyond that would make a patch no camera produces.
        double dl = clip(rng.nextGaussian(), 2.5) * lightness;
        double k = 1 + contrast * (2 * rng.nextDouble() - 1);
        double da = clip(rng.nextGaussian(), 2.5) * a;
        double db = clip(rng.nextGaussian(), 2.5) * b;
        Image8 lab = ColorConvert.rgbToLab(rgb);
        byte[] d = lab.data();
        double mean = 0;
        for (int i = 0; i < d.length; i += 3) {
            mean += d[i] & 0xFF;
        }
        mean /= d.length / 3.0;
        for (int i = 0; i < d.length; i += 3) {
            d[i] = clamp(mean + k * ((d[i] & 0xFF) - mean) + dl);
            d[i + 1] = clamp((d[i + 1] & 0xFF) + da);
            d[i + 2] = clamp((d[i + 2] & 0xFF) + db);
        }
        return ColorConvert.labToRgb(lab);
    }

    private static double clip(double v, double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
