package dev.vnet.cli.tour;

import dev.vnet.ops.Image8;
import dev.vnet.ops.Resize;
import java.util.Arrays;

/**
 * The pictures of the tour, drawn as 8-bit images without text (so that the same numbers give the same pixels on
 * every machine): feature maps as a row of tiles, a heat map of a gradient's magnitude, signed weights as
 * blue–white–red tiles.
 */
public final class TourPictures {
    /** Gap between tiles, in pixels, drawn white. */
    static final int GAP = 4;

    private TourPictures() {}

    /**
     * {@return the first {@code channels} channels of image {@code 0} of a {@code [n, c, h, w]} tensor's values, each
     * stretched from its own minimum (black) to its maximum (white), resized to {@code tile × tile} pixels (area
     * averaging when smaller, nearest neighbour when larger, so a 16×16 map shows its 16×16 cells) and set side by
     * side with white gaps; a constant channel is mid gray}
     *
     * @param values   the tensor's values, channels first
     * @param shape    {@code [n, c, h, w]}
     * @param channels how many channels to draw, at most {@code c}
     * @param tile     the side of a tile in pixels
     */
    public static Image8 featureTiles(float[] values, int[] shape, int channels, int tile) {
        int h = shape[2];
        int w = shape[3];
        if (channels < 1 || channels > shape[1]) {
            throw new IllegalArgumentException("feature tiles: channels must be 1 to " + shape[1] + ", got " + channels);
        }
        Image8 row = blankRow(channels, tile, tile, 1);
        for (int ch = 0; ch < channels; ch++) {
            Image8 map = stretched(values, ch * h * w, h, w);
            Resize.Interpolation how = w > tile ? Resize.Interpolation.AREA : Resize.Interpolation.NEAREST;
            paste(row, Resize.apply(map, tile, tile, how), ch * (tile + GAP), 0);
        }
        return row;
    }

    /**
     * {@return an {@code h × w} gray image of {@code values[offset .. offset + h·w)}, stretched from their minimum
     * (black) to their maximum (white); mid gray if they are all equal}
     *
     * @param values the values, row-major
     * @param offset the index of the first value
     * @param h      height in pixels
     * @param w      width in pixels
     */
    public static Image8 stretched(float[] values, int offset, int h, int w) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < h * w; i++) {
            lo = Math.min(lo, values[offset + i]);
            hi = Math.max(hi, values[offset + i]);
        }
        Image8 img = new Image8(w, h, 1);
        byte[] d = img.data();
        for (int i = 0; i < h * w; i++) {
            d[i] = (byte) (hi > lo ? Math.round((values[offset + i] - lo) / (hi - lo) * 255f) : 128);
        }
        return img;
    }

    /**
     * {@return a gray {@code h × w} image of probabilities in [0, 1]: 0 black, 1 white}
     *
     * @param p the probabilities, row-major
     * @param h height in pixels
     * @param w width in pixels
     */
    public static Image8 probabilities(float[] p, int h, int w) {
        Image8 img = new Image8(w, h, 1);
        byte[] d = img.data();
        for (int i = 0; i < h * w; i++) {
            d[i] = (byte) Math.round(Math.max(0f, Math.min(1f, p[i])) * 255f);
        }
        return img;
    }

    /**
     * {@return the magnitude of a gradient as a heat map (black, red, yellow, white): {@code |g|} divided by its
     * {@code quantile}-th quantile, clipped at 1, so that a few extreme pixels do not turn the rest black}
     *
     * @param g        the gradient, row-major, {@code h·w} values
     * @param h        height in pixels
     * @param w        width in pixels
     * @param quantile the quantile of {@code |g|} drawn white, in (0, 1]
     */
    public static Image8 heat(float[] g, int h, int w, double quantile) {
        float[] level = magnitudes(g, quantile);
        Image8 img = new Image8(w, h, 3);
        byte[] d = img.data();
        for (int i = 0; i < h * w; i++) {
            // three ramps one after the other: red rises, then green, then blue
            float t = level[i] * 3f;
            d[3 * i] = (byte) Math.round(Math.min(1f, t) * 255f);
            d[3 * i + 1] = (byte) Math.round(Math.max(0f, Math.min(1f, t - 1f)) * 255f);
            d[3 * i + 2] = (byte) Math.round(Math.max(0f, Math.min(1f, t - 2f)) * 255f);
        }
        return img;
    }

    /**
     * {@return {@code gray} (one channel) in colour with {@code levels} in [0, 1] laid over it in red: a pixel of level
     * {@code a} is {@code (1 − a)·gray + a·red}}
     *
     * @param gray   the picture underneath
     * @param levels one value in [0, 1] per pixel
     */
    public static Image8 redOver(Image8 gray, float[] levels) {
        Image8.requireChannels("red overlay", gray.channels(), 1);
        Image8 img = new Image8(gray.width(), gray.height(), 3);
        byte[] src = gray.data();
        byte[] d = img.data();
        for (int i = 0; i < levels.length; i++) {
            float a = Math.max(0f, Math.min(1f, levels[i]));
            int v = src[i] & 0xFF;
            d[3 * i] = (byte) Math.round((1 - a) * v + a * 255f);
            d[3 * i + 1] = (byte) Math.round((1 - a) * v);
            d[3 * i + 2] = (byte) Math.round((1 - a) * v);
        }
        return img;
    }

    /**
     * {@return {@code |g|} divided by its {@code quantile}-th quantile and clipped to [0, 1]; all 0 if that quantile
     * is 0}
     *
     * @param g        the values
     * @param quantile which quantile becomes 1, in (0, 1]
     */
    public static float[] magnitudes(float[] g, double quantile) {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("heat map: quantile must be in (0, 1], got " + quantile);
        }
        float[] abs = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            abs[i] = Math.abs(g[i]);
        }
        float[] sorted = abs.clone();
        Arrays.sort(sorted);
        float top = sorted[Math.min(sorted.length - 1, (int) Math.floor(quantile * (sorted.length - 1)))];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = top > 0 ? Math.min(1f, abs[i] / top) : 0f;
        }
        return abs;
    }

    /**
     * {@return the {@code k × k} kernels of a convolution weight {@code [out, 1, k, k]} (the first input channel of
     * each output channel), each enlarged to {@code k·zoom} pixels with nearest neighbour and set side by side,
     * negative blue, zero white, positive red, on one scale for all: the largest magnitude is full colour}
     *
     * @param w     the weight's values, {@code [out, in, k, k]} row-major
     * @param shape {@code [out, in, k, k]}
     * @param zoom  pixels per weight
     */
    public static Image8 signedKernels(float[] w, int[] shape, int zoom) {
        int out = shape[0];
        int k = shape[2];
        float max = 0f;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        Image8 row = blankRow(out, k * zoom, k * zoom, 3);
        int perOut = shape[1] * k * k;
        for (int o = 0; o < out; o++) {
            for (int y = 0; y < k * zoom; y++) {
                for (int x = 0; x < k * zoom; x++) {
                    float v = max > 0 ? w[o * perOut + (y / zoom) * k + x / zoom] / max : 0f;
                    int fade = Math.round((1 - Math.abs(v)) * 255f);
                    int px = o * (k * zoom + GAP) + x;
                    row.set(px, y, 0, v < 0 ? fade : 255);
                    row.set(px, y, 1, fade);
                    row.set(px, y, 2, v > 0 ? fade : 255);
                }
            }
        }
        return row;
    }

    /** A white image for {@code n} tiles of {@code tileW × tileH} with gaps between them. */
    private static Image8 blankRow(int n, int tileW, int tileH, int channels) {
        Image8 row = new Image8(n * tileW + (n - 1) * GAP, tileH, channels);
        Arrays.fill(row.data(), (byte) 255);
        return row;
    }

    /** Copies {@code src} into {@code dst} with its top left corner at {@code (x0, y0)}; same channel count. */
    private static void paste(Image8 dst, Image8 src, int x0, int y0) {
        int c = src.channels();
        for (int y = 0; y < src.height(); y++) {
            System.arraycopy(src.data(), y * src.width() * c, dst.data(), ((y0 + y) * dst.width() + x0) * c,
                    src.width() * c);
        }
    }
}
