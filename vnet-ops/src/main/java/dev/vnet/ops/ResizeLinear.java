package dev.vnet.ops;

/**
 * {@link Resize.Interpolation#LINEAR}, and {@link Resize.Interpolation#AREA} for upscales (OpenCV's bilinear whose
 * weights come from pixel overlaps), in OpenCV's fixed point (see {@link Resize}).
 */
final class ResizeLinear {
    static final int COEF_BITS = 11;
    static final int COEF_ONE = 1 << COEF_BITS;

    private ResizeLinear() {}

    // src: sh x sw x cn, dst: dh x dw x cn. Horizontal pass: rows of int = s0 * a0 + s1 * a1 (11-bit weights);
    // vertical pass: the fixed-point combination in the class comment.
    static void apply(Image8 src, Image8 dst, double scaleX, double scaleY,
                      double invScaleX, double invScaleY, boolean areaMode) {
        apply(src, dst, scaleX, scaleY, invScaleX, invScaleY, areaMode, VectorFilters.active());
    }

    // the same with the vector filters given (null: the scalar code), for the tests
    static void apply(Image8 src, Image8 dst, double scaleX, double scaleY,
                      double invScaleX, double invScaleY, boolean areaMode, VectorFilters vector) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        int dh = dst.height();
        Tables t = tables(sw, sh, cn, dw, dh, scaleX, scaleY, invScaleX, invScaleY, areaMode);
        int[] xofs = t.xofs();
        int[] alpha = t.alpha();
        int[] yofs = t.yofs();
        int[] beta = t.beta();
        int dstride = dw * cn;
        int sstride = sw * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        if (sh >= 2 * dh) {
            downscale(src, dst, t, yofs, vector);
            return;
        }
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
                    d[drow + x] = vertical(b0, b1, r0[x], r1[x]);
                }
            }
        });
    }

    /**
     * The fixed-point tables of a resize: per destination column the byte offset of its first source pixel in a
     * source row and the 11-bit weights of its two source pixels, per destination row its first source row
     * (unclipped) and the weights of its two rows.
     */
    record Tables(int[] xofs, int[] alpha, int[] yofs, int[] beta) {}

    static Tables tables(int sw, int sh, int cn, int dw, int dh, double scaleX, double scaleY,
                         double invScaleX, double invScaleY, boolean areaMode) {
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
        return new Tables(xofs, alpha, yofs, beta);
    }

    // A downscale to at most half the height: consecutive destination rows rarely share a source row, so no row
    // cache. Destination row dy reads rows clip(rowOf[dy]) and clip(rowOf[dy] + 1) of src.
    private static void downscale(Image8 src, Image8 dst, Tables t, int[] rowOf, VectorFilters vector) {
        if (vector != null && vector.resizeLinearDown(src, dst, t.xofs(), t.alpha(), rowOf, t.beta())) {
            return;
        }
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        int dstride = dw * cn;
        int sstride = src.width() * cn;
        byte[] s = src.data();
        byte[] d = dst.data();
        int[] xofs = t.xofs();
        int[] alpha = t.alpha();
        int[] beta = t.beta();
        int[] xofs1 = new int[dw]; // the second sample's offset; the first's where its weight is 0 (edges)
        for (int dx = 0; dx < dw; dx++) {
            xofs1[dx] = alpha[dx * 2 + 1] == 0 ? xofs[dx] : xofs[dx] + cn;
        }
        RowBands.run(dst.height(), dstride, (from, to) -> {
            for (int dy = from; dy < to; dy++) {
                int r0 = clip(rowOf[dy], sh) * sstride;
                int r1 = clip(rowOf[dy] + 1, sh) * sstride;
                fusedRow(s, r0, r1, beta[dy * 2], beta[dy * 2 + 1], cn, dw, xofs, xofs1, alpha, d, dy * dstride);
            }
        });
    }

    /**
     * Writes into the 1-channel {@code dst} the LINEAR resize of the gray of the RGB image {@code rgb}, the same
     * bytes as resizing {@link ColorConvert#rgbToGray}'s image, for a downscale to at most half the height: only
     * the two source rows each destination row reads are converted, into an image of {@code 2 dh} rows.
     */
    static void grayDownscale(Image8 rgb, Image8 dst, double scaleX, double scaleY, double invScaleX,
                              double invScaleY, VectorFilters vector) {
        int sw = rgb.width();
        int sh = rgb.height();
        int dh = dst.height();
        Tables t = tables(sw, sh, 1, dst.width(), dh, scaleX, scaleY, invScaleX, invScaleY, false);
        Image8 rows = new Image8(sw, 2 * dh, 1);
        byte[] s = rgb.data();
        byte[] g = rows.data();
        int[] rowOf = new int[dh];
        RowBands.run(dh, 2L * sw, (from, to) -> {
            for (int dy = from; dy < to; dy++) {
                ColorConvert.grayPixels(s, clip(t.yofs()[dy], sh) * sw, g, 2 * dy * sw, sw, vector);
                ColorConvert.grayPixels(s, clip(t.yofs()[dy] + 1, sh) * sw, g, (2 * dy + 1) * sw, sw, vector);
                rowOf[dy] = 2 * dy;
            }
        });
        downscale(rows, dst, t, rowOf, vector);
    }

    // One destination row from the source rows at r0 and r1, both passes per sample (the same arithmetic as the
    // row-cached path); 3 channels unrolled.
    private static void fusedRow(byte[] s, int r0, int r1, int b0, int b1, int cn, int dw, int[] xofs, int[] xofs1,
                                 int[] alpha, byte[] d, int drow) {
        if (cn == 3) {
            for (int dx = 0, o = drow; dx < dw; dx++, o += 3) {
                int a0 = alpha[dx * 2];
                int a1 = alpha[dx * 2 + 1];
                int i = xofs[dx];
                int j = xofs1[dx];
                d[o] = vertical(b0, b1, (s[r0 + i] & 0xFF) * a0 + (s[r0 + j] & 0xFF) * a1,
                        (s[r1 + i] & 0xFF) * a0 + (s[r1 + j] & 0xFF) * a1);
                d[o + 1] = vertical(b0, b1, (s[r0 + i + 1] & 0xFF) * a0 + (s[r0 + j + 1] & 0xFF) * a1,
                        (s[r1 + i + 1] & 0xFF) * a0 + (s[r1 + j + 1] & 0xFF) * a1);
                d[o + 2] = vertical(b0, b1, (s[r0 + i + 2] & 0xFF) * a0 + (s[r0 + j + 2] & 0xFF) * a1,
                        (s[r1 + i + 2] & 0xFF) * a0 + (s[r1 + j + 2] & 0xFF) * a1);
            }
        } else {
            for (int dx = 0, o = drow; dx < dw; dx++) {
                int a0 = alpha[dx * 2];
                int a1 = alpha[dx * 2 + 1];
                for (int c = 0, i = xofs[dx], j = xofs1[dx]; c < cn; c++, i++, j++, o++) {
                    d[o] = vertical(b0, b1, (s[r0 + i] & 0xFF) * a0 + (s[r0 + j] & 0xFF) * a1,
                            (s[r1 + i] & 0xFF) * a0 + (s[r1 + j] & 0xFF) * a1);
                }
            }
        }
    }

    // the vertical pass on the horizontal sums h0, h1 of the two source rows, saturated to a byte
    private static byte vertical(int b0, int b1, int h0, int h1) {
        int v = (((b0 * (h0 >> 4)) >> 16) + ((b1 * (h1 >> 4)) >> 16) + 2) >> 2;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
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
    static int saturateShort(float v) {
        double r = Math.rint(v);
        return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}
