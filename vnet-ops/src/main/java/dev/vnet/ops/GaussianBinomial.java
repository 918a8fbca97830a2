package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** {@link GaussianBlur} with OpenCV's fixed 3- and 5-tap tables: every sum fits 16 bits, so 16-bit lanes. */
final class GaussianBinomial {
    private GaussianBinomial() {}

    private static final VarHandle CHARS = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * {@return b if the fixed-point kernel is 2^(8 - b) times the binomial row of sum 2^b (OpenCV's tables for
     * sigma <= 0: 1, 1 2 1 and 1 4 6 4 1, so b = 0, 2 or 4), else -1}
     */
    static int binomialBits(int[] k) {
        int[][] rows = {{1}, {1, 2, 1}, {1, 4, 6, 4, 1}};
        for (int b = 0; b < rows.length; b++) {
            int[] row = rows[b];
            if (k.length == row.length) {
                for (int i = 0; i < row.length; i++) {
                    if (k[i] != row[i] << (GaussianBlur.FRACTION_BITS - 2 * b)) {
                        return -1;
                    }
                }
                return 2 * b;
            }
        }
        return -1;
    }

    // src, dst: h x w x cn; ksizeX, ksizeY in {1, 3, 5} with OpenCV's fixed tables. With the binomial rows B
    // (sums 2^bx, 2^by), dst = (sum B_y B_x src + 2^(s-1)) >> s, s = bx + by <= 8: the 2-D sum is at most
    // 255 * 2^8 + 2^7 < 2^16, the same value as OpenCV's fixed-point sums divided by 2^(16-s), so the same bytes,
    // and every intermediate fits a char: the loops run on 16-bit lanes, twice as many per vector as ints.
    // A padded row (reflected by rx pixels each side) is read as little-endian chars (two samples each, a view
    // the JIT compiles to vector loads) and split into even (e) and odd (o) samples; a shift by s samples of the
    // pair (e, o) is one array copy per half (shifted), so the horizontal taps are same-index loads.
    static void apply(Image8 src, Image8 dst, int ksizeX, int ksizeY) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int rowLen = w * cn;
        int rx = ksizeX / 2;
        int ry = ksizeY / 2;
        int off = rx * cn;
        int half = (rowLen + 2 * off + 1) / 2; // samples per half of a padded row
        int len = half + off + 1; // room for the shifted reads past the row
        int shift = 2 * (rx + ry); // s = bx + by
        int[] xmap = Borders.reflect101Map(w, rx);
        int[] ymap = Borders.reflect101Map(h, ry);
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(h, rowLen, (from, to) -> {
            int kh = ksizeY;
            char[][][] ring = new char[kh][2][len]; // source rows, even and odd halves
            int[] ringRow = new int[kh];
            Arrays.fill(ringRow, -1);
            char[][][] taps = new char[kh][][];
            byte[] padded = new byte[2 * len];
            char[] raw = new char[len];
            char[][] v = new char[2][len]; // the vertical sum
            char[][][] shifted = new char[ksizeX][2][half];
            char[][] sum = new char[2][half];
            for (int y = from; y < to; y++) {
                for (int j = 0; j < kh; j++) {
                    int slot = (y + j) % kh; // ring slot (y + j) mod kh holds source row ymap[y + j]
                    if (ringRow[slot] != y + j) {
                        int srow = ymap[y + j] * rowLen;
                        System.arraycopy(s, srow, padded, off, rowLen);
                        for (int p = 0; p < rx; p++) {
                            for (int c = 0; c < cn; c++) {
                                padded[p * cn + c] = s[srow + xmap[p] * cn + c];
                                padded[off + rowLen + p * cn + c] = s[srow + xmap[rx + w + p] * cn + c];
                            }
                        }
                        readChars(padded, raw, half);
                        splitBytes(raw, ring[slot][0], ring[slot][1], half);
                        ringRow[slot] = y + j;
                    }
                    taps[j] = ring[slot];
                }
                for (int p = 0; p < 2; p++) {
                    binomialSum(taps, p, ksizeY, v[p], half, 0);
                }
                for (int i = 0; i < ksizeX; i++) {
                    shiftPair(v, i * cn, shifted[i], half);
                }
                for (int p = 0; p < 2; p++) {
                    binomialSum(shifted, p, ksizeX, sum[p], half, 1 << (shift - 1));
                }
                writeRow(sum[0], sum[1], shift, raw, d, y * rowLen, rowLen);
            }
        });
    }

    // raw[q] = the little-endian char at b[2q], q < n
    private static void readChars(byte[] b, char[] raw, int n) {
        for (int q = 0; q < n; q++) {
            raw[q] = (char) CHARS.get(b, 2 * q);
        }
    }

    // the chars c[0..n) to b[off..off + 2n), little-endian
    private static void writeChars(char[] c, int n, byte[] b, int off) {
        for (int q = 0; q < n; q++) {
            CHARS.set(b, off + 2 * q, c[q]);
        }
    }

    // even[q], odd[q] = the low and high byte of raw[q]
    private static void splitBytes(char[] raw, char[] even, char[] odd, int n) {
        for (int q = 0; q < n; q++) {
            char c = raw[q];
            even[q] = (char) (c & 0xFF);
            odd[q] = (char) (c >>> 8);
        }
    }

    // dst = src shifted left by s samples: sample 2q + p + s is in half (p + s) mod 2 at lane q + (p + s) / 2
    private static void shiftPair(char[][] src, int s, char[][] dst, int n) {
        for (int p = 0; p < 2; p++) {
            System.arraycopy(src[(p + s) & 1], (p + s) >> 1, dst[p], 0, n);
        }
    }

    // out[x] = sum_i B_i taps[i][p][x] + round for the binomial row B of length k (1, 3 or 5): the vertical pass
    // (taps = source rows, round 0) and the horizontal one (taps = shifted copies of the vertical sum)
    private static void binomialSum(char[][][] taps, int p, int k, char[] out, int n, int round) {
        if (k == 1) {
            char[] c = taps[0][p];
            for (int x = 0; x < n; x++) {
                out[x] = (char) (c[x] + round);
            }
        } else if (k == 3) {
            char[] a = taps[0][p];
            char[] c = taps[1][p];
            char[] b = taps[2][p];
            for (int x = 0; x < n; x++) {
                out[x] = (char) (a[x] + b[x] + (c[x] << 1) + round);
            }
        } else {
            char[] a0 = taps[0][p];
            char[] a1 = taps[1][p];
            char[] c = taps[2][p];
            char[] b1 = taps[3][p];
            char[] b0 = taps[4][p];
            for (int x = 0; x < n; x++) {
                int m = c[x];
                out[x] = (char) (a0[x] + b0[x] + ((a1[x] + b1[x] + m) << 2) + (m << 1) + round);
            }
        }
    }

    // d[drow + 2q + p] = sum[p][q] >> shift for the rowLen samples of the row, two at a time as one char
    private static void writeRow(char[] even, char[] odd, int shift, char[] pairs, byte[] d, int drow, int rowLen) {
        int n = rowLen / 2;
        for (int q = 0; q < n; q++) {
            pairs[q] = (char) ((even[q] >>> shift) | ((odd[q] >>> shift) << 8));
        }
        writeChars(pairs, n, d, drow);
        if ((rowLen & 1) != 0) {
            d[drow + rowLen - 1] = (byte) (even[n] >>> shift);
        }
    }
}
