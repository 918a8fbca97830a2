package dev.vnet.train.detect;

import java.util.List;

/**
 * The detector's training target: a Gaussian peak of height 1 at every labelled blast centre, the maximum where
 * peaks overlap (not their sum), so two touching blasts keep two peaks of height 1 with a dip between them, and a
 * target never exceeds 1.
 *
 * <p>Each peak is drawn at the pixel nearest its centre (as CenterNet draws them), so every blast has exactly one
 * pixel of value 1, which a focal loss ({@link CenterFocalLoss}) takes as the blast's positive; that rounding moves a
 * centre by at most half a working pixel (2 original pixels at ALL-IDB1's scale), far below the 60 px of matching.
 *
 * <p>σ is tied to the blast's size at the working scale ({@link #sigmaFor}): a peak of σ = diameter / 8 falls to
 * 0.13 of its height at the cell's rim and to 0.0003 one diameter away, so the peaks of two touching blasts
 * (centres one diameter apart) hardly add up, while the peak is still wide enough to be learned.
 */
public final class HeatMapTarget {
    /** σ as a fraction of the blast diameter at the working scale. */
    public static final double SIGMA_PER_DIAMETER = 1.0 / 8;

    private HeatMapTarget() {}

    /**
     * {@return the Gaussian σ, in working pixels, for blasts of {@code diameter} working pixels}
     *
     * @param diameter the blast diameter at the working scale
     */
    public static double sigmaFor(double diameter) {
        return diameter * SIGMA_PER_DIAMETER;
    }

    /**
     * Draws the heat-map of {@code centres} into a new {@code height × width} map (row-major).
     *
     * @param width   map width in pixels
     * @param height  map height in pixels
     * @param centres peak centres as {x, y} in the map's pixels (pixel centres at whole numbers), each rounded to the
     *                nearest pixel; may lie outside the map, whose part of the peak is then drawn
     * @param sigma   the Gaussian's σ in pixels
     * @return the map, values in [0, 1]
     */
    public static float[] render(int width, int height, List<double[]> centres, double sigma) {
        float[] map = new float[width * height];
        render(map, 0, width, height, centres, sigma);
        return map;
    }

    /**
     * Draws the heat-map of {@code centres} into {@code map} from {@code offset}, keeping the larger of the value
     * there and each peak's.
     *
     * @param map     the map to draw into, {@code height × width} row-major from {@code offset}
     * @param offset  index of the map's first value
     * @param width   map width in pixels
     * @param height  map height in pixels
     * @param centres peak centres as {x, y} in the map's pixels
     * @param sigma   the Gaussian's σ in pixels
     */
    public static void render(float[] map, int offset, int width, int height, List<double[]> centres, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("heat-map sigma must be > 0 pixels, got " + sigma);
        }
        if (offset < 0 || map.length - offset < width * height) {
            throw new IllegalArgumentException("heat-map of " + width + "x" + height + " does not fit an array of "
                    + map.length + " from " + offset);
        }
        // Beyond 4σ a peak is below 3.4e-4: nothing a loss or a threshold can see.
        int reach = (int) Math.ceil(4 * sigma);
        double inv2s2 = 1 / (2 * sigma * sigma);
        for (double[] c : centres) {
            long cx = Math.round(c[0]);
            long cy = Math.round(c[1]);
            int x0 = (int) Math.max(0, cx - reach);
            int x1 = (int) Math.min(width - 1, cx + reach);
            int y0 = (int) Math.max(0, cy - reach);
            int y1 = (int) Math.min(height - 1, cy + reach);
            for (int y = y0; y <= y1; y++) {
                double dy = y - cy;
                for (int x = x0; x <= x1; x++) {
                    double dx = x - cx;
                    float v = (float) Math.exp(-(dx * dx + dy * dy) * inv2s2);
                    int i = offset + y * width + x;
                    if (v > map[i]) {
                        map[i] = v;
                    }
                }
            }
        }
    }
}
