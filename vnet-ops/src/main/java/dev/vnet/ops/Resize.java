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
 */
public final class Resize {
    private static final int COEF_BITS = 11;
    private static final int COEF_ONE = 1 << COEF_BITS;
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
        if (dstWidth <= 0 || dstHeight <= 0) {
            throw new IllegalArgumentException("resize: destination size must be positive, got "
                    + dstWidth + "x" + dstHeight);
        }
        if (interpolation == null) {
            throw new IllegalArgumentException("resize: interpolation is null, expected NEAREST, LINEAR or AREA");
        }
        Image8.requireChannels("resize source", src.channels(), 1, 3);
        int sw = src.width();
        int sh = src.height();
        if (sw == dstWidth && sh == dstHeight) {
            return src.copy();
        }
        Image8 dst = new Image8(dstWidth, dstHeight, src.channels());
        double invScaleX = (double) dstWidth / sw;
        double invScaleY = (double) dstHeight / sh;
        if (interpolation == Interpolation.NEAREST) {
            nearest(src, dst, invScaleX, invScaleY);
            return dst;
        }
        double scaleX = 1.0 / invScaleX;
        double scaleY = 1.0 / invScaleY;
        int iscaleX = (int) Math.rint(scaleX);
        int iscaleY = (int) Math.rint(scaleY);
        boolean areaFast = Math.abs(scaleX - iscaleX) < DBL_EPSILON && Math.abs(scaleY - iscaleY) < DBL_EPSILON;
        Interpolation mode = interpolation;
        if (mode == Interpolation.LINEAR && areaFast && iscaleX == 2 && iscaleY == 2) {
            mode = Interpolation.AREA; // OpenCV: the 2x2 box mean is what bilinear gives at exactly half size
        }
        if (mode == Interpolation.AREA && scaleX >= 1 && scaleY >= 1) {
            if (areaFast) {
                areaInteger(src, dst, iscaleX, iscaleY);
            } else {
                areaGeneral(src, dst, scaleX, scaleY);
            }
            return dst;
        }
        linear(src, dst, scaleX, scaleY, invScaleX, invScaleY, mode == Interpolation.AREA);
        return dst;
    }

    // ---- nearest ------------------------------------------------------------------------------------

    // src: sh x sw x cn, dst: dh x dw x cn; dst(x, y) = src(min(floor(x / fx), sw - 1), min(floor(y / fy), sh - 1)).
    private static void nearest(Image8 src, Image8 dst, double fx, double fy) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        double ifx = 1.0 / fx;
        double ify = 1.0 / fy;
        int[] xofs = new int[dw];
        for (int x = 0; x < dw; x++) {
            xofs[x] = Math.min((int) Math.floor(x * ifx), sw - 1) * cn;
        }
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dst.height(), (long) dw * cn, (from, to) -> {
            for (int y = from; y < to; y++) {
                int sy = Math.min((int) Math.floor(y * ify), sh - 1);
                int srow = sy * sw * cn;
                int drow = y * dw * cn;
                if (cn == 1) {
                    for (int x = 0; x < dw; x++) {
                        d[drow + x] = s[srow + xofs[x]];
                    }
                } else {
                    for (int x = 0, o = drow; x < dw; x++, o += 3) {
                        int i = srow + xofs[x];
                        d[o] = s[i];
                        d[o + 1] = s[i + 1];
                        d[o + 2] = s[i + 2];
                    }
                }
            }
        });
    }

    // ---- area, integer factor -----------------------------------------------------------------------

    // src: sh x sw x cn, dst: dh x dw x cn with sw = dw * isx, sh = dh * isy. Each output is the mean of an
    // isx x isy block: (sum + 2) >> 2 for 2x2 blocks, else round-half-even(float(sum) * (1f / area)).
    private static void areaInteger(Image8 src, Image8 dst, int isx, int isy) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        int sstride = sw * cn;
        int dstride = dw * cn;
        int area = isx * isy;
        float scale = 1.0f / area;
        int fullWidth = (sw / isx) * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dst.height(), dstride, (from, to) -> {
            for (int dy = from; dy < to; dy++) {
                int sy0 = dy * isy;
                int drow = dy * dstride;
                if (sy0 >= sh) {
                    java.util.Arrays.fill(d, drow, drow + dstride, (byte) 0);
                    continue;
                }
                int w = sy0 + isy <= sh ? fullWidth : 0;
                int dx = 0;
                if (isx == 2 && isy == 2) {
                    int r0 = sy0 * sstride;
                    // pixel by pixel, channel by channel: no division per sample
                    for (int i = r0, o = drow, end = drow + w; o < end; i += cn) {
                        for (int c = 0; c < cn; c++, i++, o++) {
                            int sum = (s[i] & 0xFF) + (s[i + cn] & 0xFF) + (s[i + sstride] & 0xFF)
                                    + (s[i + sstride + cn] & 0xFF);
                            d[o] = (byte) ((sum + 2) >> 2);
                        }
                    }
                    dx = w;
                } else {
                    for (; dx < w; dx++) {
                        int px = dx / cn;
                        int base = sy0 * sstride + px * isx * cn + (dx - px * cn);
                        int sum = 0;
                        for (int ky = 0; ky < isy; ky++) {
                            int o = base + ky * sstride;
                            for (int kx = 0; kx < isx; kx++) {
                                sum += s[o + kx * cn] & 0xFF;
                            }
                        }
                        d[drow + dx] = (byte) Saturate.toUint8(sum * scale);
                    }
                }
                // Blocks cut by the bottom or right edge: mean of the pixels that exist.
                for (; dx < dstride; dx++) {
                    int px = dx / cn;
                    int sx0 = px * isx * cn + (dx - px * cn);
                    int sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < isy && sy0 + ky < sh; ky++) {
                        for (int kx = 0; kx < isx * cn && sx0 + kx < sstride; kx += cn) {
                            sum += s[(sy0 + ky) * sstride + sx0 + kx] & 0xFF;
                            count++;
                        }
                    }
                    d[drow + dx] = count == 0 ? 0 : (byte) Saturate.toUint8((float) sum / count);
                }
            }
        });
    }

    // ---- area, any downscale factor -----------------------------------------------------------------

    /** One source-to-destination weight: destination index {@code di}, source index {@code si}. */
    private record AreaWeight(int di, int si, float alpha) {}

    // OpenCV's computeResizeAreaTab: which source cells overlap destination cell dx, and by what fraction.
    private static AreaWeight[] areaTable(int ssize, int dsize, int cn, double scale) {
        java.util.ArrayList<AreaWeight> tab = new java.util.ArrayList<>(ssize * 2);
        for (int dx = 0; dx < dsize; dx++) {
            double fsx1 = dx * scale;
            double fsx2 = fsx1 + scale;
            double cellWidth = Math.min(scale, ssize - fsx1);
            int sx1 = (int) Math.ceil(fsx1);
            int sx2 = (int) Math.floor(fsx2);
            sx2 = Math.min(sx2, ssize - 1);
            sx1 = Math.min(sx1, sx2);
            if (sx1 - fsx1 > 1e-3) {
                tab.add(new AreaWeight(dx * cn, (sx1 - 1) * cn, (float) ((sx1 - fsx1) / cellWidth)));
            }
            for (int sx = sx1; sx < sx2; sx++) {
                tab.add(new AreaWeight(dx * cn, sx * cn, (float) (1.0 / cellWidth)));
            }
            if (fsx2 - sx2 > 1e-3) {
                tab.add(new AreaWeight(dx * cn, sx2 * cn,
                        (float) (Math.min(Math.min(fsx2 - sx2, 1.0), cellWidth) / cellWidth)));
            }
        }
        return tab.toArray(new AreaWeight[0]);
    }

    // src: sh x sw x cn, dst: dh x dw x cn, scale >= 1 in both directions. Float accumulation in OpenCV's order:
    // per source row, buf[d] += src * alphaX; per destination row, sum += alphaY * buf; then round half even.
    private static void areaGeneral(Image8 src, Image8 dst, double scaleX, double scaleY) {
        int sw = src.width();
        int cn = src.channels();
        int dw = dst.width();
        int dh = dst.height();
        AreaWeight[] xtab = areaTable(sw, dw, cn, scaleX);
        AreaWeight[] ytab = areaTable(src.height(), dh, 1, scaleY);
        int[] xdi = new int[xtab.length];
        int[] xsi = new int[xtab.length];
        float[] xalpha = new float[xtab.length];
        for (int k = 0; k < xtab.length; k++) {
            xdi[k] = xtab[k].di();
            xsi[k] = xtab[k].si();
            xalpha[k] = xtab[k].alpha();
        }
        int[] xStart = new int[dw + 1]; // table entries of destination column dx: [xStart[dx], xStart[dx + 1])
        for (int k = 0, dx = 0; k <= xdi.length; k++) {
            while (dx <= dw && (k == xdi.length ? dw * cn : xdi[k]) >= dx * cn) {
                xStart[dx++] = k;
            }
        }
        int[] yStart = new int[dh + 1];
        for (int k = 0, dy = 0; k < ytab.length; k++) {
            if (k == 0 || ytab[k].di() != ytab[k - 1].di()) {
                yStart[dy++] = k;
            }
        }
        yStart[dh] = ytab.length;
        int dstride = dw * cn;
        int sstride = sw * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dh, dstride, (from, to) -> {
            float[] buf = new float[dstride];
            float[] sum = new float[dstride];
            for (int dy = from; dy < to; dy++) {
                java.util.Arrays.fill(sum, 0f);
                for (int j = yStart[dy]; j < yStart[dy + 1]; j++) {
                    float beta = ytab[j].alpha();
                    int srow = ytab[j].si() * sstride;
                    // buf[dx] = sum over the table entries of dx, in table order, of src * alpha; summed in registers
                    // (the same float operations in the same order as adding into buf, without a store and reload
                    // between consecutive additions)
                    if (cn == 3) {
                        for (int dx = 0, o = 0; dx < dw; dx++, o += 3) {
                            float a0 = 0f;
                            float a1 = 0f;
                            float a2 = 0f;
                            for (int k = xStart[dx]; k < xStart[dx + 1]; k++) {
                                int si = srow + xsi[k];
                                float a = xalpha[k];
                                a0 += (s[si] & 0xFF) * a;
                                a1 += (s[si + 1] & 0xFF) * a;
                                a2 += (s[si + 2] & 0xFF) * a;
                            }
                            buf[o] = a0;
                            buf[o + 1] = a1;
                            buf[o + 2] = a2;
                        }
                    } else {
                        for (int dx = 0; dx < dw; dx++) {
                            float a0 = 0f;
                            for (int k = xStart[dx]; k < xStart[dx + 1]; k++) {
                                a0 += (s[srow + xsi[k]] & 0xFF) * xalpha[k];
                            }
                            buf[dx] = a0;
                        }
                    }
                    for (int x = 0; x < dstride; x++) {
                        sum[x] += beta * buf[x];
                    }
                }
                int drow = dy * dstride;
                for (int x = 0; x < dstride; x++) {
                    d[drow + x] = (byte) Saturate.toUint8(sum[x]);
                }
            }
        });
    }

    // ---- bilinear (and OpenCV's area-weighted bilinear for upscales) --------------------------------

    // src: sh x sw x cn, dst: dh x dw x cn. Horizontal pass: rows of int = s0 * a0 + s1 * a1 (11-bit weights);
    // vertical pass: the fixed-point combination in the class comment.
    private static void linear(Image8 src, Image8 dst, double scaleX, double scaleY,
                               double invScaleX, double invScaleY, boolean areaMode) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        int dh = dst.height();
        int[] xofs = new int[dw];
        int[] alpha = new int[dw * 2];
        for (int dx = 0; dx < dw; dx++) {
            int sx;
            float fx;
            if (!areaMode) {
                fx = (float) ((dx + 0.5) * scaleX - 0.5);
                sx = (int) Math.floor(fx);
                fx -= sx;
            } else {
                sx = (int) Math.floor(dx * scaleX);
                fx = (float) ((dx + 1) - (sx + 1) * invScaleX);
                fx = fx <= 0 ? 0f : fx - (float) Math.floor(fx);
            }
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            if (sx >= sw - 1) {
                fx = 0;
                sx = sw - 1;
            }
            xofs[dx] = sx * cn;
            alpha[dx * 2] = saturateShort((1.0f - fx) * COEF_ONE);
            alpha[dx * 2 + 1] = saturateShort(fx * COEF_ONE);
        }
        int[] yofs = new int[dh];
        int[] beta = new int[dh * 2];
        for (int dy = 0; dy < dh; dy++) {
            int sy;
            float fy;
            if (!areaMode) {
                fy = (float) ((dy + 0.5) * scaleY - 0.5);
                sy = (int) Math.floor(fy);
                fy -= sy;
            } else {
                sy = (int) Math.floor(dy * scaleY);
                fy = (float) ((dy + 1) - (sy + 1) * invScaleY);
                fy = fy <= 0 ? 0f : fy - (float) Math.floor(fy);
            }
            yofs[dy] = sy;
            beta[dy * 2] = saturateShort((1.0f - fy) * COEF_ONE);
            beta[dy * 2 + 1] = saturateShort(fy * COEF_ONE);
        }
        int dstride = dw * cn;
        int sstride = sw * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dh, dstride, (from, to) -> {
            int[][] rows = {new int[dstride], new int[dstride]};
            int[] rowOf = {-1, -1};
            for (int dy = from; dy < to; dy++) {
                int sy0 = clip(yofs[dy], sh);
                int sy1 = clip(yofs[dy] + 1, sh);
                int[] r0 = horizontalRow(s, sy0, sstride, cn, dw, xofs, alpha, rows, rowOf, -1);
                int[] r1 = horizontalRow(s, sy1, sstride, cn, dw, xofs, alpha, rows, rowOf, sy0);
                int b0 = beta[dy * 2];
                int b1 = beta[dy * 2 + 1];
                int drow = dy * dstride;
                for (int x = 0; x < dstride; x++) {
                    int v = (((b0 * (r0[x] >> 4)) >> 16) + ((b1 * (r1[x] >> 4)) >> 16) + 2) >> 2;
                    d[drow + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
                }
            }
        });
    }

    // Returns the horizontally interpolated source row sy from the two-row cache, computing it if needed;
    // keep = the other row the caller still needs (never evicted).
    private static int[] horizontalRow(byte[] s, int sy, int sstride, int cn, int dw, int[] xofs, int[] alpha,
                                       int[][] rows, int[] rowOf, int keep) {
        for (int i = 0; i < 2; i++) {
            if (rowOf[i] == sy) {
                return rows[i];
            }
        }
        int slot = rowOf[0] == keep && keep >= 0 ? 1 : 0;
        int[] out = rows[slot];
        rowOf[slot] = sy;
        int srow = sy * sstride;
        for (int dx = 0; dx < dw; dx++) {
            int a0 = alpha[dx * 2];
            int a1 = alpha[dx * 2 + 1];
            int si = srow + xofs[dx];
            int o = dx * cn;
            if (a1 == 0) {
                for (int c = 0; c < cn; c++) {
                    out[o + c] = (s[si + c] & 0xFF) * a0;
                }
            } else {
                for (int c = 0; c < cn; c++) {
                    out[o + c] = (s[si + c] & 0xFF) * a0 + (s[si + c + cn] & 0xFF) * a1;
                }
            }
        }
        return out;
    }

    private static int clip(int v, int size) {
        return v >= 0 ? (v < size ? v : size - 1) : 0;
    }

    // OpenCV's saturate_cast<short>(float): round half to even, then clamp.
    private static int saturateShort(float v) {
        double r = Math.rint(v);
        return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}
