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
                ringTaps(s, n, ymap, y, ring, ringRow, taps);
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

    /**
     * Writes the blur of {@code src} by OpenCV's fixed binomial tables ({@link GaussianBinomial}: 1, 1 2 1 or
     * 1 4 6 4 1 along each direction, {@code ksizeX, ksizeY} in {1, 3, 5}) into {@code dst}: the 2-D sum of the
     * binomial rows is at most 255 * 256 + 128, so the vertical sum, the horizontal one and its rounding are all
     * exact in unsigned 16-bit lanes, without the split into high and low bytes of other kernels; the taps are
     * shifts and adds.
     */
    static void binomial(Image8 src, Image8 dst, int ksizeX, int ksizeY) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int n = w * cn;
        int rx = ksizeX / 2;
        int ry = ksizeY / 2;
        int off = rx * cn;
        int shift = 2 * (rx + ry); // the binomial rows sum to 2^(2 rx) and 2^(2 ry)
        short round = (short) (shift == 0 ? 0 : 1 << (shift - 1));
        int[] xmap = Borders.reflect101Map(w, rx);
        int[] ymap = Borders.reflect101Map(h, ry);
        byte[] s = src.data();
        byte[] d = dst.data();
        int whole = (n + L - 1) / L * L; // sums past the row's end run into the slack (never stored to d)
        RowBands.run(h, n, (from, to) -> {
            int kh = ksizeY;
            short[][] ring = new short[kh][whole];
            int[] ringRow = new int[kh];
            Arrays.fill(ringRow, -1);
            short[][] taps = new short[kh][];
            short[] v = new short[whole + 2 * off];
            short[] sum = new short[whole];
            for (int y = from; y < to; y++) {
                ringTaps(s, n, ymap, y, ring, ringRow, taps);
                binomialColumns(taps, v, off, whole);
                reflectEdges(v, xmap, cn, off, n);
                binomialRows(v, cn, ksizeX, round, shift, sum, whole);
                narrow(sum, d, y * n, n);
            }
        });
    }

    // v[off + q] = sum_j B_j rows[j][q] for the binomial row B of length rows.length, q in [0, len)
    private static void binomialColumns(short[][] rows, short[] v, int off, int len) {
        if (rows.length == 5) {
            short[] a0 = rows[0];
            short[] a1 = rows[1];
            short[] c = rows[2];
            short[] b1 = rows[3];
            short[] b0 = rows[4];
            for (int q = 0; q < len; q += L) {
                ShortVector m = ShortVector.fromArray(SS, c, q);
                ShortVector.fromArray(SS, a0, q).add(ShortVector.fromArray(SS, b0, q))
                        .add(ShortVector.fromArray(SS, a1, q).add(ShortVector.fromArray(SS, b1, q)).add(m)
                                .lanewise(VectorOperators.LSHL, 2))
                        .add(m.lanewise(VectorOperators.LSHL, 1)).intoArray(v, off + q);
            }
        } else if (rows.length == 3) {
            short[] a = rows[0];
            short[] c = rows[1];
            short[] b = rows[2];
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, a, q).add(ShortVector.fromArray(SS, b, q))
                        .add(ShortVector.fromArray(SS, c, q).lanewise(VectorOperators.LSHL, 1)).intoArray(v, off + q);
            }
        } else {
            System.arraycopy(rows[0], 0, v, off, len);
        }
    }

    // sum[q] = (sum_i B_i v[q + i cn] + round) >>> shift for the binomial row B of length k, q in [0, len)
    private static void binomialRows(short[] v, int cn, int k, short round, int shift, short[] sum, int len) {
        if (k == 5) {
            for (int q = 0; q < len; q += L) {
                ShortVector m = ShortVector.fromArray(SS, v, q + 2 * cn);
                ShortVector.fromArray(SS, v, q).add(ShortVector.fromArray(SS, v, q + 4 * cn))
                        .add(ShortVector.fromArray(SS, v, q + cn).add(ShortVector.fromArray(SS, v, q + 3 * cn)).add(m)
                                .lanewise(VectorOperators.LSHL, 2))
                        .add(m.lanewise(VectorOperators.LSHL, 1)).add(round)
                        .lanewise(VectorOperators.LSHR, shift).intoArray(sum, q);
            }
        } else if (k == 3) {
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, v, q).add(ShortVector.fromArray(SS, v, q + 2 * cn))
                        .add(ShortVector.fromArray(SS, v, q + cn).lanewise(VectorOperators.LSHL, 1)).add(round)
                        .lanewise(VectorOperators.LSHR, shift).intoArray(sum, q);
            }
        } else {
            for (int q = 0; q < len; q += L) {
                ShortVector.fromArray(SS, v, q).add(round).lanewise(VectorOperators.LSHR, shift).intoArray(sum, q);
            }
        }
    }

    // d[out + q] = the low byte of sum[q] for q in [0, n)
    private static void narrow(short[] sum, byte[] d, int out, int n) {
        for (int i = 0; i < n; i += 2 * L) {
            int q = Math.min(i, n - 2 * L);
            ByteVector first = ShortVector.fromArray(SS, sum, q).reinterpretAsBytes().rearrange(LOW_BYTES_FIRST);
            ByteVector second = ShortVector.fromArray(SS, sum, q + L).reinterpretAsBytes().rearrange(LOW_BYTES_SECOND);
            first.blend(second, HIGH_HALF).intoArray(d, out + q);
        }
    }

    // taps[j] = the widened source row ymap[y + j], j < taps.length, from the ring of as many rows: slot
    // (y + j) mod taps.length holds it once read (ringRow says which row a slot holds)
    private static void ringTaps(byte[] s, int n, int[] ymap, int y, short[][] ring, int[] ringRow, short[][] taps) {
        int kh = taps.length;
        for (int j = 0; j < kh; j++) {
            int slot = (y + j) % kh;
            if (ringRow[slot] != y + j) {
                widen(s, ymap[y + j] * n, ring[slot], n);
                ringRow[slot] = y + j;
            }
            taps[j] = ring[slot];
        }
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
