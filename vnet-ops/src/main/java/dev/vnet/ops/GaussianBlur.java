package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Gaussian blur that gives the same bytes as OpenCV 4.6's {@code cv2.GaussianBlur} on 8-bit images with 1
 * or 3 channels (border {@code BORDER_REFLECT_101}, the default).
 *
 * <p>The rules are OpenCV's:
 * <ul>
 *   <li>A kernel size of 0 is derived from sigma: {@code round(sigma * 3 * 2 + 1) | 1} (the 8-bit rule).</li>
 *   <li>Sigma 0 is derived from the kernel size: {@code 0.15 * ksize + 0.35}, except for sizes 1, 3, 5, 7
 *       and 9, which use fixed binomial-like tables ({@code 1 2 1 / 4}, {@code 1 4 6 4 1 / 16}, ...).</li>
 *   <li>{@code sigmaY = 0} means {@code sigmaY = sigmaX}. On a 1-pixel-high (wide) image the vertical
 *       (horizontal) kernel is 1.</li>
 *   <li>The 8-bit path is fixed point: each 1-D kernel is rounded to 8 fraction bits with error diffusion so that
 *       it sums to exactly 256 ({@link #fixedPointKernel}); the horizontal pass keeps the exact integer sums
 *       (8 fraction bits), the vertical pass the exact products (16 fraction bits), and the result is
 *       {@code (sum + 2^15) >> 16}. There is no other rounding, so the order of the sums does not matter.</li>
 * </ul>
 * The filter is separable: the cost per pixel grows with {@code ksizeX + ksizeY}. With OpenCV's fixed tables for
 * sizes 3 and 5 (sigma 0, the usual call) every sum fits 16 bits and the filter runs on 16-bit lanes
 * ({@link #binomialBits}); other kernels use 32-bit sums. Large images run on {@link RowBands} threads with the
 * same result as one thread.
 */
public final class GaussianBlur {
    private static final int FRACTION_BITS = 8;
    private static final int ONE = 1 << FRACTION_BITS;

    private GaussianBlur() {}

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksize, ksize), sigma)}}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd kernel size, or 0 to derive it from sigma
     * @param sigma standard deviation, or 0 to derive it from ksize
     */
    public static Image8 apply(Image8 src, int ksize, double sigma) {
        return apply(src, ksize, ksize, sigma, 0);
    }

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksize, ksize), 0)}: sigma from the kernel size}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd kernel size
     */
    public static Image8 apply(Image8 src, int ksize) {
        return apply(src, ksize, ksize, 0, 0);
    }

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksizeX, ksizeY), sigmaX, sigmaY=sigmaY)}}
     *
     * @param src    a 1- or 3-channel image
     * @param ksizeX kernel width: odd and positive, or 0 to derive it from {@code sigmaX}
     * @param ksizeY kernel height: odd and positive, or 0 to derive it from {@code sigmaY}
     * @param sigmaX horizontal standard deviation in pixels, or 0 to derive it from {@code ksizeX}
     * @param sigmaY vertical standard deviation in pixels, or 0 to use {@code sigmaX}
     * @throws IllegalArgumentException for a negative or even kernel size, a negative or non-finite sigma,
     *                                  a kernel size and sigma that are both 0, or a channel count other than 1 or 3
     */
    public static Image8 apply(Image8 src, int ksizeX, int ksizeY, double sigmaX, double sigmaY) {
        Image8.requireChannels("GaussianBlur source", src.channels(), 1, 3);
        checkSigma("sigmaX", sigmaX);
        checkSigma("sigmaY", sigmaY);
        checkKsize("ksizeX", ksizeX);
        checkKsize("ksizeY", ksizeY);
        if (sigmaY <= 0) {
            sigmaY = sigmaX;
        }
        if (ksizeX == 0 && sigmaX <= 0) {
            throw new IllegalArgumentException("GaussianBlur: ksizeX is 0 and sigmaX is " + sigmaX
                    + "; give an odd ksizeX >= 1 or a sigmaX > 0 to derive it from");
        }
        if (ksizeY == 0 && sigmaY <= 0) {
            throw new IllegalArgumentException("GaussianBlur: ksizeY is 0 and sigmaY is " + sigmaY
                    + "; give an odd ksizeY >= 1 or a sigmaY > 0 to derive it from");
        }
        // OpenCV shrinks the kernel along a 1-pixel dimension before deriving sizes from sigma.
        if (src.height() == 1) {
            ksizeY = 1;
        }
        if (src.width() == 1) {
            ksizeX = 1;
        }
        if (ksizeX == 1 && ksizeY == 1) {
            return src.copy();
        }
        if (ksizeX == 0) {
            ksizeX = ksizeFromSigma(sigmaX);
        }
        if (ksizeY == 0) {
            ksizeY = ksizeFromSigma(sigmaY);
        }
        int[] kx = fixedPointKernel(ksizeX, sigmaX);
        int[] ky = fixedPointKernel(ksizeY, sigmaY);
        Image8 dst = new Image8(src.width(), src.height(), src.channels());
        if (binomialBits(kx) >= 0 && binomialBits(ky) >= 0) {
            binomial(src, dst, kx.length, ky.length);
        } else {
            separable(src, dst, kx, ky);
        }
        return dst;
    }

    /**
     * OpenCV's kernel size for an 8-bit image when only sigma is given: {@code round(6 * sigma + 1) | 1}.
     *
     * @param sigma the standard deviation, {@code > 0}
     * @return the odd kernel size
     */
    public static int ksizeFromSigma(double sigma) {
        return ((int) Math.rint(sigma * 3 * 2 + 1)) | 1;
    }

    /**
     * {@return the 1-D Gaussian kernel in double precision, as {@code cv2.getGaussianKernel(ksize, sigma,
     * cv2.CV_64F)} returns it (computed the same way, so the same doubles: {@code exp} is OpenCV's software
     * implementation, see {@link SoftExp})}
     *
     * @param ksize number of taps, {@code >= 1}
     * @param sigma standard deviation, or {@code <= 0} to derive it from {@code ksize}
     */
    public static double[] kernel(int ksize, double sigma) {
        if (ksize < 1) {
            throw new IllegalArgumentException("Gaussian kernel: ksize must be >= 1, got " + ksize);
        }
        int n = ksize;
        if (sigma <= 0) {
            switch (n) {
                case 1:
                    return new double[] {1.0};
                case 3:
                    return new double[] {0.25, 0.5, 0.25};
                case 5:
                    return new double[] {0.0625, 0.25, 0.375, 0.25, 0.0625};
                case 7:
                    return new double[] {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
                case 9:
                    return new double[] {4 / 256.0, 13 / 256.0, 30 / 256.0, 51 / 256.0, 60 / 256.0,
                            51 / 256.0, 30 / 256.0, 13 / 256.0, 4 / 256.0};
                default:
                    break;
            }
        }
        double s = sigma > 0 ? sigma : Math.fma(n, 0.15, 0.35);
        double scale2X = -0.125 / (s * s);
        int half = (n - 1) / 2;
        double[] values = new double[half];
        double sum = 0;
        for (int i = 0, x = 1 - n; i < half; i++, x += 2) {
            double t = SoftExp.exp((double) (x * x) * scale2X);
            values[i] = t;
            sum += t;
        }
        sum *= 2;
        sum += 1;
        if ((n & 1) == 0) {
            sum += 1;
        }
        double mul = 1.0 / sum;
        double[] result = new double[n];
        for (int i = 0; i < half; i++) {
            double t = values[i] * mul;
            result[i] = t;
            result[n - 1 - i] = t;
        }
        result[half] = mul;
        if ((n & 1) == 0) {
            result[half + 1] = mul;
        }
        return result;
    }

    /**
     * {@return the kernel OpenCV's 8-bit path uses: {@link #kernel} scaled by 256 and rounded with error diffusion
     * from the outside in, the centre tap taking what is left so that the taps sum to exactly 256}
     *
     * @param ksize odd number of taps, >= 1
     * @param sigma standard deviation, or 0 or less to derive it from {@code ksize}
     */
    public static int[] fixedPointKernel(int ksize, double sigma) {
        if (ksize < 1 || (ksize & 1) == 0) {
            throw new IllegalArgumentException("Gaussian kernel: ksize must be odd and >= 1, got " + ksize);
        }
        double[] k = kernel(ksize, Math.max(sigma, 0));
        int n = ksize;
        int half = n / 2;
        int[] out = new int[n];
        double err = 0;
        long sum = 0;
        for (int i = 0; i < half; i++) {
            double adj = k[i] * ONE + err;
            long v = (long) Math.rint(adj);
            err = adj - v;
            out[i] = (int) v;
            out[n - 1 - i] = (int) v;
            sum += v;
        }
        out[half] = (int) ((ONE - 2 * sum) & 0xFFFF); // OpenCV stores the taps as uint16
        return out;
    }

    // ---- the fast separable filter ----------------------------------------------------------------

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
    private static void separable(Image8 src, Image8 dst, int[] kx, int[] ky) {
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

    // ---- OpenCV's fixed 3- and 5-tap tables: 16-bit lanes ----------------------------------------------

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
                    if (k[i] != row[i] << (FRACTION_BITS - 2 * b)) {
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
    private static void binomial(Image8 src, Image8 dst, int ksizeX, int ksizeY) {
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

    // ---- the reference ------------------------------------------------------------------------------

    /**
     * The same filter as {@link #apply(Image8, int, int, double, double)} computed directly in 2-D (every output
     * pixel sums {@code ksizeX * ksizeY} products): slow, obviously correct, kept to check the fast path.
     */
    static Image8 naive(Image8 src, int ksizeX, int ksizeY, double sigmaX, double sigmaY) {
        if (sigmaY <= 0) {
            sigmaY = sigmaX;
        }
        if (src.height() == 1) {
            ksizeY = 1;
        }
        if (src.width() == 1) {
            ksizeX = 1;
        }
        if (ksizeX == 0) {
            ksizeX = ksizeFromSigma(sigmaX);
        }
        if (ksizeY == 0) {
            ksizeY = ksizeFromSigma(sigmaY);
        }
        int[] kx = fixedPointKernel(ksizeX, sigmaX);
        int[] ky = fixedPointKernel(ksizeY, sigmaY);
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        Image8 dst = new Image8(w, h, cn);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < cn; c++) {
                    long sum = 0;
                    for (int j = 0; j < ky.length; j++) {
                        int sy = Borders.reflect101(y + j - ky.length / 2, h);
                        for (int i = 0; i < kx.length; i++) {
                            int sx = Borders.reflect101(x + i - kx.length / 2, w);
                            sum += (long) ky[j] * kx[i] * src.get(sx, sy, c);
                        }
                    }
                    dst.set(x, y, c, (int) Math.min(255, (sum + (1 << 15)) >> 16));
                }
            }
        }
        return dst;
    }

    private static void checkKsize(String name, int k) {
        if (k < 0 || (k > 0 && (k & 1) == 0)) {
            throw new IllegalArgumentException("GaussianBlur: " + name + " is " + k
                    + ", expected an odd number >= 1, or 0 to derive it from sigma");
        }
    }

    private static void checkSigma(String name, double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("GaussianBlur: " + name + " is " + sigma
                    + ", expected a finite number >= 0 (0 = derive it from the kernel size)");
        }
    }
}
