package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ResizeLinear}'s downscale to at most half the height (every destination row reads two source rows of its
 * own, e.g. 2592x1944 to 256x256) on the JDK's Vector API, with the same fixed-point arithmetic. The two source
 * samples of destination sample {@code t} along a row are bytes {@code i} and {@code i + cn} of the source row
 * ({@code i = xofs + c}; at the edges the second one's weight is 0), so one little-endian int read at byte
 * {@code i} holds both (bytes 0 and {@code cn}): a scalar pass reads one int per sample and source row into an int
 * row (the only scattered loads), and the rest is int lanes: both horizontal sums, the vertical combination, and
 * the packing of four results to the 4 bytes of an int. For that packing the int rows hold each step of
 * {@code 4 L} samples ({@code L} int lanes) phase-major: sample {@code start + 4m + q} at {@code q L + m}.
 */
final class ResizeLinearVector {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    // the preferred shape only, as in the other vector filters (see ResizeHalfVector)
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    /** Destination samples per step: 4 int vectors packed to one of bytes. */
    private static final int STEP = 4 * L;

    private ResizeLinearVector() {}

    /** {@return whether a destination row of this many samples is handled (at least one step)} */
    static boolean fits(int rowSamples) {
        return rowSamples >= STEP;
    }

    /**
     * Writes {@code dst} from {@code src} with the tables of {@link ResizeLinear}: source byte offset
     * {@code xofs[dx]} (pixel offset times channels) and weights {@code alpha[2 dx], alpha[2 dx + 1]} along rows,
     * source row {@code yofs[dy]} (and the next one) and weights {@code beta[2 dy], beta[2 dy + 1]} down columns.
     *
     * @return false, writing nothing, when the destination rows are shorter than one step
     */
    static boolean apply(Image8 src, Image8 dst, int[] xofs, int[] alpha, int[] yofs, int[] beta) {
        int cn = src.channels();
        int n = dst.width() * cn; // destination row samples
        if (!fits(n)) {
            return false;
        }
        int steps = (n + STEP - 1) / STEP;
        int[] offset = new int[steps * STEP]; // phase-major: the source byte of each sample, and its two weights
        int[] a0 = new int[steps * STEP];
        int[] a1 = new int[steps * STEP];
        for (int k = 0; k < steps; k++) {
            int start = Math.min(k * STEP, n - STEP); // the last step overlaps the one before
            for (int q = 0; q < 4; q++) {
                for (int m = 0; m < L; m++) {
                    int t = start + 4 * m + q;
                    int dx = t / cn;
                    int u = k * STEP + q * L + m;
                    offset[u] = xofs[dx] + t % cn;
                    a0[u] = alpha[2 * dx];
                    a1[u] = alpha[2 * dx + 1];
                }
            }
        }
        int sstride = src.width() * cn;
        int sh = src.height();
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dst.height(), n, (from, to) -> {
            int[] h0 = new int[offset.length];
            int[] h1 = new int[offset.length];
            int[] v = new int[offset.length];
            // the int read at the last sample of a row reaches up to 3 bytes past the row; where that is past the
            // array (the last rows), the row is read from a copy with room behind it (those bytes have weight 0)
            byte[] padded = new byte[sstride + 3];
            for (int dy = from; dy < to; dy++) {
                readPairs(s, clip(yofs[dy], sh) * sstride, sstride, padded, offset, h0);
                readPairs(s, clip(yofs[dy] + 1, sh) * sstride, sstride, padded, offset, h1);
                row(h0, h1, a0, a1, beta[2 * dy], beta[2 * dy + 1], 8 * cn, v, d, dy * n, n);
            }
        });
        return true;
    }

    private static int clip(int v, int size) {
        return v >= 0 ? (v < size ? v : size - 1) : 0;
    }

    // h[u] = the little-endian int at s[base + offset[u]], the row of sstride bytes at base read from padded when
    // an int at its end would reach past s
    private static void readPairs(byte[] s, int base, int sstride, byte[] padded, int[] offset, int[] h) {
        byte[] from = s;
        if (base + sstride + 3 > s.length) {
            System.arraycopy(s, base, padded, 0, sstride);
            from = padded;
            base = 0;
        }
        for (int u = 0; u < offset.length; u++) {
            h[u] = (int) INTS.get(from, base + offset[u]);
        }
    }

    // One destination row of n samples at d[o, o + n) from the sample pairs of its two source rows; v holds the
    // results in the order of h0 and h1 before they are packed to bytes (one loop computing and packing a whole
    // step is too large for the JIT to inline its vector operations, which then become objects)
    static void row(int[] h0, int[] h1, int[] a0, int[] a1, int b0, int b1, int second, int[] v, byte[] d, int o,
                    int n) {
        for (int u = 0; u < v.length; u += L) {
            IntVector w0 = IntVector.fromArray(I, a0, u);
            IntVector w1 = IntVector.fromArray(I, a1, u);
            IntVector x0 = IntVector.fromArray(I, h0, u);
            IntVector x1 = IntVector.fromArray(I, h1, u);
            // the horizontal sums of the two rows, then the vertical pass as in ResizeLinear.vertical
            IntVector s0 = x0.and(0xFF).mul(w0).add(x0.lanewise(VectorOperators.LSHR, second).and(0xFF).mul(w1));
            IntVector s1 = x1.and(0xFF).mul(w0).add(x1.lanewise(VectorOperators.LSHR, second).and(0xFF).mul(w1));
            s0.lanewise(VectorOperators.ASHR, 4).mul(b0).lanewise(VectorOperators.ASHR, 16)
                    .add(s1.lanewise(VectorOperators.ASHR, 4).mul(b1).lanewise(VectorOperators.ASHR, 16))
                    .add(2).lanewise(VectorOperators.ASHR, 2).max(0).min(255).intoArray(v, u);
        }
        for (int k = 0, u = 0; k < n; k += STEP, u += STEP) {
            int start = Math.min(k, n - STEP); // the last step overlaps the one before
            IntVector.fromArray(I, v, u)
                    .or(IntVector.fromArray(I, v, u + L).lanewise(VectorOperators.LSHL, 8))
                    .or(IntVector.fromArray(I, v, u + 2 * L).lanewise(VectorOperators.LSHL, 16))
                    .or(IntVector.fromArray(I, v, u + 3 * L).lanewise(VectorOperators.LSHL, 24))
                    .reinterpretAsBytes().intoArray(d, o + start);
        }
    }
}
