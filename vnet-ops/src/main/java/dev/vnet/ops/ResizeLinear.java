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
    static int saturateShort(float v) {
        double r = Math.rint(v);
        return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}
