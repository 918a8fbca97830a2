package dev.vnet.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Resize} one destination pixel and channel at a time, straight from the rules in its class comment: slow,
 * and written to be read. The tests hold every fast path to it, byte for byte.
 */
final class ResizeNaive {
    private ResizeNaive() {}

    /** {@return {@code src} resized to {@code dw × dh} by the path {@link Resize#path} chooses} */
    static Image8 apply(Image8 src, int dw, int dh, Resize.Interpolation interpolation) {
        Resize.Path path = Resize.path(src.width(), src.height(), dw, dh, interpolation);
        Image8 dst = new Image8(dw, dh, src.channels());
        double scaleX = (double) src.width() / dw;
        double scaleY = (double) src.height() / dh;
        switch (path) {
            case COPY -> System.arraycopy(src.data(), 0, dst.data(), 0, src.data().length);
            case NEAREST -> nearest(src, dst);
            case AREA_INTEGER -> areaInteger(src, dst, (int) Math.rint(scaleX), (int) Math.rint(scaleY));
            case AREA_FRACTIONAL -> areaFractional(src, dst);
            case LINEAR, AREA_UPSCALE -> linear(src, dst, path == Resize.Path.AREA_UPSCALE);
            default -> throw new IllegalStateException("resize: no reference for " + path);
        }
        return dst;
    }

    /** Source pixel {@code min(floor(d / (dsize / ssize)), ssize − 1)} in each direction. */
    static void nearest(Image8 src, Image8 dst) {
        double ifx = 1.0 / ((double) dst.width() / src.width());
        double ify = 1.0 / ((double) dst.height() / src.height());
        for (int y = 0; y < dst.height(); y++) {
            int sy = Math.min((int) Math.floor(y * ify), src.height() - 1);
            for (int x = 0; x < dst.width(); x++) {
                int sx = Math.min((int) Math.floor(x * ifx), src.width() - 1);
                for (int c = 0; c < src.channels(); c++) {
                    dst.set(x, y, c, src.get(sx, sy, c));
                }
            }
        }
    }

    /**
     * The mean of each {@code isx × isy} block: a whole 2×2 block as {@code (sum + 2) >> 2}, another whole block as
     * {@code round(float(sum) · (1f / area))}, a block cut by the image's edge as {@code round(float(sum) / count)}
     * over the pixels that exist.
     */
    static void areaInteger(Image8 src, Image8 dst, int isx, int isy) {
        int sw = src.width();
        int sh = src.height();
        float scale = 1.0f / (isx * isy);
        for (int dy = 0; dy < dst.height(); dy++) {
            for (int dx = 0; dx < dst.width(); dx++) {
                boolean whole = dy * isy + isy <= sh && dx < sw / isx;
                for (int c = 0; c < src.channels(); c++) {
                    int sum = 0;
                    int count = 0;
                    for (int sy = dy * isy; sy < Math.min(dy * isy + isy, sh); sy++) {
                        for (int sx = dx * isx; sx < Math.min(dx * isx + isx, sw); sx++) {
                            sum += src.get(sx, sy, c);
                            count++;
                        }
                    }
                    int v;
                    if (whole) {
                        v = isx == 2 && isy == 2 ? (sum + 2) >> 2 : Saturate.toUint8(sum * scale);
                    } else {
                        v = count == 0 ? 0 : Saturate.toUint8((float) sum / count);
                    }
                    dst.set(dx, dy, c, v);
                }
            }
        }
    }

    /**
     * The area-weighted mean in float, in OpenCV's order: per covered source row, {@code row = Σ src · αx} over the
     * covered columns; then {@code Σ βy · row}; rounded half to even. The weights are OpenCV's
     * ({@link ResizeArea#areaTable}).
     */
    static void areaFractional(Image8 src, Image8 dst) {
        List<List<ResizeArea.AreaWeight>> xs = byDestination(src.width(), dst.width());
        List<List<ResizeArea.AreaWeight>> ys = byDestination(src.height(), dst.height());
        for (int dy = 0; dy < dst.height(); dy++) {
            for (int dx = 0; dx < dst.width(); dx++) {
                for (int c = 0; c < src.channels(); c++) {
                    float sum = 0f;
                    for (ResizeArea.AreaWeight wy : ys.get(dy)) {
                        float row = 0f;
                        for (ResizeArea.AreaWeight wx : xs.get(dx)) {
                            row += src.get(wx.si(), wy.si(), c) * wx.alpha();
                        }
                        sum += wy.alpha() * row;
                    }
                    dst.set(dx, dy, c, Saturate.toUint8(sum));
                }
            }
        }
    }

    private static List<List<ResizeArea.AreaWeight>> byDestination(int ssize, int dsize) {
        List<List<ResizeArea.AreaWeight>> out = new ArrayList<>();
        for (int d = 0; d < dsize; d++) {
            out.add(new ArrayList<>());
        }
        for (ResizeArea.AreaWeight w : ResizeArea.areaTable(ssize, dsize, 1, 1.0 / ((double) dsize / ssize))) {
            out.get(w.di()).add(w);
        }
        return out;
    }

    /**
     * Bilinear in OpenCV's fixed point: 11-bit weights; horizontally {@code s0 · a0 + s1 · a1} on the two source rows,
     * then {@code (((b0 · (r0 >> 4)) >> 16) + ((b1 · (r1 >> 4)) >> 16) + 2) >> 2}. The source position is
     * {@code (d + 0.5) · scale − 0.5}, or in the area mode the overlap of the pixels.
     */
    static void linear(Image8 src, Image8 dst, boolean areaMode) {
        int sw = src.width();
        int sh = src.height();
        double invScaleX = (double) dst.width() / sw;
        double invScaleY = (double) dst.height() / sh;
        for (int dy = 0; dy < dst.height(); dy++) {
            double[] fy = position(dy, 1.0 / invScaleY, invScaleY, areaMode);
            int sy = (int) fy[0];
            int b0 = ResizeLinear.saturateShort((1.0f - (float) fy[1]) * ResizeLinear.COEF_ONE);
            int b1 = ResizeLinear.saturateShort((float) fy[1] * ResizeLinear.COEF_ONE);
            int sy0 = Math.max(0, Math.min(sy, sh - 1));
            int sy1 = Math.max(0, Math.min(sy + 1, sh - 1));
            for (int dx = 0; dx < dst.width(); dx++) {
                double[] fx = position(dx, 1.0 / invScaleX, invScaleX, areaMode);
                int sx = (int) fx[0];
                float ax = (float) fx[1];
                // along x the position is clamped to the first and last pixel, with the weight all on it
                if (sx < 0) {
                    sx = 0;
                    ax = 0f;
                }
                if (sx >= sw - 1) {
                    sx = sw - 1;
                    ax = 0f;
                }
                int a0 = ResizeLinear.saturateShort((1.0f - ax) * ResizeLinear.COEF_ONE);
                int a1 = ResizeLinear.saturateShort(ax * ResizeLinear.COEF_ONE);
                for (int c = 0; c < src.channels(); c++) {
                    int r0 = src.get(sx, sy0, c) * a0 + (a1 == 0 ? 0 : src.get(sx + 1, sy0, c) * a1);
                    int r1 = src.get(sx, sy1, c) * a0 + (a1 == 0 ? 0 : src.get(sx + 1, sy1, c) * a1);
                    int v = (((b0 * (r0 >> 4)) >> 16) + ((b1 * (r1 >> 4)) >> 16) + 2) >> 2;
                    dst.set(dx, dy, c, Math.max(0, Math.min(v, 255)));
                }
            }
        }
    }

    /** {@return {floor of the source position, its fraction as a float}} of destination index {@code d}. */
    private static double[] position(int d, double scale, double invScale, boolean areaMode) {
        int s;
        float f;
        if (!areaMode) {
            f = (float) ((d + 0.5) * scale - 0.5);
            s = (int) Math.floor(f);
            f -= s;
        } else {
            s = (int) Math.floor(d * scale);
            f = (float) ((d + 1) - (s + 1) * invScale);
            f = f <= 0 ? 0f : f - (float) Math.floor(f);
        }
        return new double[] {s, f};
    }
}
