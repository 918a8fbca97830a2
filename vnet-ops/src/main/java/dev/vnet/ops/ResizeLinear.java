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
        if (sh >= 2 * dh) {
            // consecutive destination rows rarely share a source row: no row cache
            if (vector != null && vector.resizeLinearDown(src, dst, xofs, alpha, yofs, beta)) {
                return;
            }
            int[] xofs1 = new int[dw]; // the second sample's offset; the first's where its weight is 0 (edges)
            for (int dx = 0; dx < dw; dx++) {
                xofs1[dx] = alpha[dx * 2 + 1] == 0 ? xofs[dx] : xofs[dx] + cn;
            }
            RowBands.run(dh, dstride, (from, to) -> {
                for (int dy = from; dy < to; dy++) {
                    int r0 = clip(yofs[dy], sh) * sstride;
                    int r1 = clip(yofs[dy] + 1, sh) * sstride;
                    fusedRow(s, r0, r1, beta[dy * 2], beta[dy * 2 + 1], cn, dw, xofs, xofs1, alpha, d, dy * dstride);
                }
            });
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
