package dev.vnet.ops;

import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GaussianBlur} with any fixed-point kernels (taps summing to 256) on 16-bit lanes of the JDK's Vector API,
 * the same bytes as {@code GaussianSeparable}'s 32-bit sums:
 * <ul>
 *   <li>vertical: {@code v = sum_j ky[j] * src} is at most 255 * 256, so it is exact in an unsigned 16-bit lane
 *       (the products and partial sums wrap, the total does not);</li>
 *   <li>horizontal: {@code sum_i kx[i] * v} needs 24 bits, so v is split as {@code 256 * hi + lo} (both at most
 *       255) and {@code H = sum kx * hi}, {@code L = sum kx * lo} are again exact in 16 bits;</li>
 *   <li>the output {@code (256 H + L + 2^15) >> 16} is {@code (H + 128 + (L >> 8)) >> 8}, whose dividend is at most
 *       65535 because the output is at most 255.</li>
 * </ul>
 * Source rows are widened to 16 bits once (a ring of ksizeY rows); a row is processed in vector steps, the last
 * one overlapping the one before, so rows shorter than one byte vector are left to the scalar code.
 */
final class GaussianVectorRows {
    private static final VectorSpecies<Short> SS = ShortVector.SPECIES_PREFERRED;
    // Byte vectors of the preferred shape only, as in the other vector filters: code that runs two shapes of byte
    // vectors through the same Vector API methods leaves the JIT type profiles it cannot compile to vector
    // instructions. A byte vector is twice as many samples as a short vector of the same size.
    private static final VectorSpecies<Byte> SB = ByteVector.SPECIES_PREFERRED;
    private static final int L = SS.length();
    /** Short lanes 0..L-1 of two short vectors' bytes: the low byte of each, the first vector's in the low half. */
    private static final VectorShuffle<Byte> LOW_BYTES_FIRST = VectorShuffle.fromOp(SB, i -> i < L ? 2 * i : 0);
    private static final VectorShuffle<Byte> LOW_BYTES_SECOND = VectorShuffle.fromOp(SB, i -> i < L ? 0 : 2 * (i - L));
    private static final VectorMask<Byte> HIGH_HALF = SB.indexInRange(-L, L);

    private GaussianVectorRows() {}

    /** {@return whether rows of {@code rowLen} samples are long enough for the vector steps} */
    static boolean fits(int rowLen) {
        return rowLen >= 2 * L;
    }

    /** Writes the blur of {@code src} by the symmetric kernels kx (columns) and ky (rows) into {@code dst}. */
    static void apply(Image8 src, Image8 dst, int[] kx, int[] ky) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int n = w * cn;
        int rx = kx.length / 2;
        int ry = ky.length / 2;
        int off = rx * cn;
        int[] xmap = Borders.reflect101Map(w, rx);
        int[] ymap = Borders.reflect101Map(h, ry);
        byte[] s = src.data();
        byte[] d = dst.data();
        // The sums run over whole vectors, past the row's end into the slack of the arrays (never stored to d).
        int whole = (n + L - 1) / L * L;
        RowBands.run(h, n, (from, to) -> {
            int kh = ky.length;
            short[][] ring = new short[kh][whole];
            int[] ringRow = new int[kh];
            Arrays.fill(ringRow, -1);
            short[][] taps = new short[kh][];
            short[] hi = new short[whole + 2 * off];
            short[] lo = new short[whole + 2 * off];
            short[] sumHi = new short[whole];
            short[] sumLo = new short[whole];
            for (int y = from; y < to; y++) {
                for (int j = 0; j < kh; j++) {
                    int slot = (y + j) % kh; // ring slot (y + j) mod kh holds source row ymap[y + j]
                    if (ringRow[slot] != y + j) {
                        widen(s, ymap[y + j] * n, ring[slot], n);
                        ringRow[slot] = y + j;
                    }
                    taps[j] = ring[slot];
                }
                // sumHi = the vertical sum v; then hi, lo = v >> 8, v & 255 at off
                weightedSum(taps, ky, sumHi, whole);
                split(sumHi, hi, lo, off, whole);
                reflectEdges(hi, xmap, cn, off, n);
                reflectEdges(lo, xmap, cn, off, n);
                weightedSum(hi, lo, cn, kx, sumHi, sumLo, whole);
                narrow(sumHi, sumLo, d, y * n, n);
            }
        });
    }

    private static void widen(byte[] s, int from, short[] row, int n) {
        for (int i = 0; i < n; i += 2 * L) {
            int q = Math.min(i, n - 2 * L);
            ByteVector b = ByteVector.fromArray(SB, s, from + q);
            ((ShortVector) b.convertShape(VectorOperators.B2S, SS, 0)).and((short) 0xFF).intoArray(row, q);
            ((ShortVector) b.convertShape(VectorOperators.B2S, SS, 1)).and((short) 0xFF).intoArray(row, q + L);
        }
    }

    // sum[q] = sum_j k[j] * rows[j][q] for q in [0, len): symmetric kernel, one multiply for both sides.
    private static void weightedSum(short[][] rows, int[] k, short[] sum, int len) {
        int r = k.length / 2;
        short kc = (short) k[r];
        short[] mid = rows[r];
        for (int q = 0; q < len; q += L) {
            ShortVector.fromArray(SS, mid, q).mul(kc).intoArray(sum, q);
        }
        for (int j = 0; j < r; j++) {
            short kj = (short) k[j];
            short[] a = rows[j];
            short[] b = rows[2 * r - j];
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, a, q).add(ShortVector.fromArray(SS, b, q)).mul(kj)
                        .add(ShortVector.fromArray(SS, sum, q)).intoArray(sum, q);
            }
        }
    }

    private static void split(short[] v, short[] hi, short[] lo, int off, int len) {
        for (int q = 0; q < len; q += L) {
            ShortVector x = ShortVector.fromArray(SS, v, q);
            x.lanewise(VectorOperators.LSHR, 8).intoArray(hi, off + q);
            x.and((short) 0xFF).intoArray(lo, off + q);
        }
    }

    // The rx pixels on both sides of the row at [off, off + n), by BORDER_REFLECT_101.
    private static void reflectEdges(short[] a, int[] xmap, int cn, int off, int n) {
        int r = off / cn;
        for (int p = 0; p < xmap.length; p = (p == r - 1) ? xmap.length - r : p + 1) {
            System.arraycopy(a, off + xmap[p] * cn, a, p * cn, cn);
        }
    }

    // sumHi[q] = sum_i k[i] * hi[q + i cn], sumLo the same of lo, for q in [0, len).
    private static void weightedSum(short[] hi, short[] lo, int cn, int[] k, short[] sumHi, short[] sumLo, int len) {
        int r = k.length / 2;
        short kc = (short) k[r];
        int mid = r * cn;
        for (int q = 0; q < len; q += L) {
            ShortVector.fromArray(SS, hi, q + mid).mul(kc).intoArray(sumHi, q);
            ShortVector.fromArray(SS, lo, q + mid).mul(kc).intoArray(sumLo, q);
        }
        for (int j = 0; j < r; j++) {
            short kj = (short) k[j];
            int a = j * cn;
            int b = (2 * r - j) * cn;
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, hi, q + a).add(ShortVector.fromArray(SS, hi, q + b)).mul(kj)
                        .add(ShortVector.fromArray(SS, sumHi, q)).intoArray(sumHi, q);
            }
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, lo, q + a).add(ShortVector.fromArray(SS, lo, q + b)).mul(kj)
                        .add(ShortVector.fromArray(SS, sumLo, q)).intoArray(sumLo, q);
            }
        }
    }

    // d[out + q] = (256 sumHi + sumLo + 2^15) >> 16 = (sumHi + 128 + (sumLo >> 8)) >> 8 for q in [0, n).
    private static void narrow(short[] sumHi, short[] sumLo, byte[] d, int out, int n) {
        for (int i = 0; i < n; i += 2 * L) {
            int q = Math.min(i, n - 2 * L);
            ByteVector first = rounded(sumHi, sumLo, q).reinterpretAsBytes().rearrange(LOW_BYTES_FIRST);
            ByteVector second = rounded(sumHi, sumLo, q + L).reinterpretAsBytes().rearrange(LOW_BYTES_SECOND);
            first.blend(second, HIGH_HALF).intoArray(d, out + q);
        }
    }

    private static ShortVector rounded(short[] sumHi, short[] sumLo, int q) {
        return ShortVector.fromArray(SS, sumHi, q).add((short) 128)
                .add(ShortVector.fromArray(SS, sumLo, q).lanewise(VectorOperators.LSHR, 8))
                .lanewise(VectorOperators.LSHR, 8);
    }
}
