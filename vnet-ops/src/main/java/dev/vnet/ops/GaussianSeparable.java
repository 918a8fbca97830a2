package dev.vnet.ops;

import java.util.Arrays;

/** {@link GaussianBlur} with any fixed-point kernels: a vertical then a horizontal pass with exact 32-bit sums. */
final class GaussianSeparable {
    private GaussianSeparable() {}

    /** Row samples filtered per horizontal pass: the tile's scratch rows stay in the L1 cache. */
    private static final int TILE = 1024;

    // src, dst: h x w x cn. kx: kernel width taps, ky: kernel height taps (both sum to 256).
    // vrow(y)[x] = sum_j ky[j] * src(x, reflect101(y + j - ry))                 (<= 255 * 256)
    // dst(x, y)  = (sum_i kx[i] * vrow(y)[reflect101(x + i - rx)] + 2^15) >> 16
    // The sums are exact integers, so doing the vertical pass first gives the same bytes as OpenCV's
    // horizontal-first order. Java 17's JIT vectorises a loop only if all its accesses to arrays of one element
    // type have the same alignment and it does no type conversion besides a plain copy, hence the layout:
    // source rows become int rows once (padded by reflection, kept in a ring of ksizeY rows); per tile of TILE
    // output samples, the vertical sum over the padded tile, shifted copies of it (System.arraycopy) so the
    // horizontal taps are same-index loads, the horizontal sum, and a copy to bytes.
    static void apply(Image8 src, Image8 dst, int[] kx, int[] ky) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int rowLen = w * cn;
        int rx = kx.length / 2;
        int ry = ky.length / 2;
        int off = rx * cn;
        int padLen = rowLen + 2 * off;
        int[] xmap = Borders.reflect101Map(w, rx);
        int[] ymap = Borders.reflect101Map(h, ry);
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(h, rowLen, (from, to) -> {
            int kh = ky.length;
            int[][] ring = new int[kh][padLen]; // source rows as ints, padded by rx pixels on both sides
            int[] ringRow = new int[kh];
            Arrays.fill(ringRow, -1);
            int[][] taps = new int[kh][];
            int[] v = new int[padLen];
            int[][] shifted = new int[kx.length][TILE]; // shifted[i][x] = v[x0 + x + i * cn]
            int[] acc = new int[TILE];
            for (int y = from; y < to; y++) {
                for (int j = 0; j < kh; j++) {
                    // ring slot (y + j) mod kh holds source row ymap[y + j]
                    int slot = (y + j) % kh;
                    if (ringRow[slot] != y + j) {
                        loadPaddedRow(s, ymap[y + j] * rowLen, ring[slot], xmap, cn, off, rowLen);
                        ringRow[slot] = y + j;
                    }
                    taps[j] = ring[slot];
                }
                filterRow(taps, kx, ky, v, shifted, acc, d, y * rowLen, rowLen, cn, off);
            }
        });
    }

    // One output row from its ksizeY source rows (taps), tile by tile.
    private static void filterRow(int[][] taps, int[] kx, int[] ky, int[] v, int[][] shifted, int[] acc, byte[] d,
                                  int drow, int rowLen, int cn, int off) {
        for (int x0 = 0; x0 < rowLen; x0 += TILE) {
            int len = Math.min(TILE, rowLen - x0);
            vertical(taps, ky, v, x0, x0 + len + 2 * off);
            for (int i = 0; i < kx.length; i++) {
                System.arraycopy(v, x0 + i * cn, shifted[i], 0, len);
            }
            horizontal(shifted, kx, acc, len);
            for (int x = 0; x < len; x++) {
                d[drow + x0 + x] = (byte) acc[x];
            }
        }
    }

    // out[p * cn + c] = src(xmap[p], row, c) for the padded pixels p in [0, w + 2 rx)
    private static void loadPaddedRow(byte[] s, int srow, int[] out, int[] xmap, int cn, int off, int rowLen) {
        for (int x = 0; x < rowLen; x++) {
            out[off + x] = s[srow + x] & 0xFF;
        }
        int r = off / cn;
        for (int p = 0; p < xmap.length; p = (p == r - 1) ? xmap.length - r : p + 1) { // the borders only
            for (int c = 0; c < cn; c++) {
                out[p * cn + c] = s[srow + xmap[p] * cn + c] & 0xFF;
            }
        }
    }

    // v[x] = sum_j k[j] * rows[j][x] for x in [from, to); symmetric kernel: one multiply for both sides.
    private static void vertical(int[][] rows, int[] k, int[] v, int from, int to) {
        int r = k.length / 2;
        int[] mid = rows[r];
        int kc = k[r];
        if (r == 1) {
            int[] a = rows[0];
            int[] b = rows[2];
            int k0 = k[0];
            for (int x = from; x < to; x++) {
                v[x] = kc * mid[x] + k0 * (a[x] + b[x]);
            }
            return;
        }
        if (r == 2) {
            int[] a0 = rows[0];
            int[] a1 = rows[1];
            int[] b1 = rows[3];
            int[] b0 = rows[4];
            int k0 = k[0];
            int k1 = k[1];
            if (isBinomial5(k)) {
                for (int x = from; x < to; x++) {
                    int c = mid[x];
                    v[x] = (a0[x] + b0[x] + ((a1[x] + b1[x] + c) << 2) + (c << 1)) << 4;
                }
                return;
            }
            for (int x = from; x < to; x++) {
                v[x] = kc * mid[x] + k0 * (a0[x] + b0[x]) + k1 * (a1[x] + b1[x]);
            }
            return;
        }
        for (int x = from; x < to; x++) {
            v[x] = kc * mid[x];
        }
        for (int j = 0; j < r; j++) {
            int[] a = rows[j];
            int[] b = rows[2 * r - j];
            int kj = k[j];
            for (int x = from; x < to; x++) {
                v[x] += kj * (a[x] + b[x]);
            }
        }
    }

    // acc[x] = (sum_i k[i] * taps[i][x] + 2^15) >> 16; the sum is at most 255 * 2^16 + 2^15, so no clamping.
    private static void horizontal(int[][] taps, int[] k, int[] acc, int len) {
        int r = k.length / 2;
        int[] mid = taps[r];
        int kc = k[r];
        if (r == 1) {
            int[] a = taps[0];
            int[] b = taps[2];
            int k0 = k[0];
            for (int x = 0; x < len; x++) {
                acc[x] = (kc * mid[x] + k0 * (a[x] + b[x]) + (1 << 15)) >>> 16;
            }
            return;
        }
        if (r == 2) {
            int[] a0 = taps[0];
            int[] a1 = taps[1];
            int[] b1 = taps[3];
            int[] b0 = taps[4];
            int k0 = k[0];
            int k1 = k[1];
            if (isBinomial5(k)) {
                for (int x = 0; x < len; x++) {
                    int c = mid[x];
                    acc[x] = (((a0[x] + b0[x] + ((a1[x] + b1[x] + c) << 2) + (c << 1)) << 4) + (1 << 15)) >>> 16;
                }
                return;
            }
            for (int x = 0; x < len; x++) {
                acc[x] = (kc * mid[x] + k0 * (a0[x] + b0[x]) + k1 * (a1[x] + b1[x]) + (1 << 15)) >>> 16;
            }
            return;
        }
        for (int x = 0; x < len; x++) {
            acc[x] = kc * mid[x] + (1 << 15);
        }
        for (int i = 0; i < r; i++) {
            int[] a = taps[i];
            int[] b = taps[2 * r - i];
            int ki = k[i];
            for (int x = 0; x < len; x++) {
                acc[x] += ki * (a[x] + b[x]);
            }
        }
        for (int x = 0; x < len; x++) {
            acc[x] >>>= 16;
        }
    }

    // OpenCV's fixed 5-tap table (sigma <= 0): 16 * (1 4 6 4 1), computed with shifts and adds because a vector
    // multiply by a variable costs several times more.
    private static boolean isBinomial5(int[] k) {
        return k.length == 5 && k[0] == 16 && k[1] == 64 && k[2] == 96 && k[3] == 64 && k[4] == 16;
    }
}
