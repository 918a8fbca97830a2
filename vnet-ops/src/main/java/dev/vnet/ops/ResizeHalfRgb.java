package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 2×2 box mean of {@link ResizeArea#integerFactor} for RGB rows, {@code (a + b + c + d + 2) >> 2} per
 * channel, on vectorised int lanes. The two source rows are read as little-endian ints (4 bytes each) and summed
 * in 16-bit fields (even bytes, odd bytes); the horizontal partner of byte {@code b} is byte {@code b + 3} (the
 * same channel of the next pixel), the mean of the block starting at every byte is computed and packed back to
 * 4 bytes per int, all in same-index loops the JIT vectorises. A destination pixel {@code x} is the means
 * starting at bytes {@code 6x, 6x + 1, 6x + 2}: one scalar pass keeps those 3 of every 6 bytes (4 pixels, 12
 * bytes, from 6 ints), the step with no vector instruction in the JIT, or byte shuffles of the Vector API
 * ({@code ResizeHalfVector}) when it is present.
 */
final class ResizeHalfRgb {
    private ResizeHalfRgb() {}

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Destination pixels per chunk, a multiple of 4: the chunk's int arrays (1.5 KB each) stay in the level-1 cache. */
    static final int CHUNK_PIXELS = 256;

    private static final int LOW_BYTES = 0x00FF00FF;
    private static final int TWO_TWOS = 0x00020002;

    /** The lane arrays of one thread. */
    static final class Scratch {
        final int[] even = new int[CHUNK_PIXELS * 6 / 4];
        final int[] odd = new int[CHUNK_PIXELS * 6 / 4];
        final int[] evenNext = new int[CHUNK_PIXELS * 6 / 4];
        final int[] oddNext = new int[CHUNK_PIXELS * 6 / 4];
        final int[] evenSum = new int[CHUNK_PIXELS * 6 / 4];
        final int[] means = new int[CHUNK_PIXELS * 6 / 4];
    }

    /**
     * Writes destination pixels {@code [0, pixels)} of one row, {@code pixels} a multiple of 4: RGB bytes
     * {@code d[drow, drow + 3 pixels)} from the source rows at {@code r0} and {@code r1}.
     */
    static void row(byte[] s, int r0, int r1, byte[] d, int drow, int pixels, Scratch t) {
        VectorFilters vector = VectorFilters.active();
        for (int x = 0; x < pixels; x += CHUNK_PIXELS) {
            int n = Math.min(CHUNK_PIXELS, pixels - x) * 6 / 4; // source lanes: 6 bytes per destination pixel
            verticalSums(s, r0 + 6 * x, r1 + 6 * x, t.even, t.odd, n);
            // lane k + 1 of each; the last lane's is never kept
            System.arraycopy(t.even, 1, t.evenNext, 0, n - 1);
            System.arraycopy(t.odd, 1, t.oddNext, 0, n - 1);
            boxMeans(t, n);
            int pixelsHere = n * 4 / 6;
            if (vector == null || !vector.keepPixelStarts(t.means, d, drow + 3 * x, pixelsHere)) {
                keepPixelStarts(t.means, d, drow + 3 * x, pixelsHere / 4);
            }
        }
    }

    // even[k] = the sums of bytes 4k and 4k + 2 of the two rows (16-bit fields), odd[k] of bytes 4k + 1 and 4k + 3;
    // one loop per row (the JIT does not vectorise a loop reading one array at two offsets)
    private static void verticalSums(byte[] s, int a, int b, int[] even, int[] odd, int n) {
        for (int k = 0; k < n; k++) {
            int x = (int) INTS.get(s, a + 4 * k);
            even[k] = x & LOW_BYTES;
            odd[k] = (x >>> 8) & LOW_BYTES;
        }
        for (int k = 0; k < n; k++) {
            int y = (int) INTS.get(s, b + 4 * k);
            even[k] += y & LOW_BYTES;
            odd[k] += (y >>> 8) & LOW_BYTES;
        }
    }

    // means[k] = the 4 bytes (V[b] + V[b + 3] + 2) >> 2 for b = 4k .. 4k + 3, V = the vertical sums: for even b
    // the partner is odd (fields of odd[k] >> 16 and oddNext[k] << 16), for odd b it is even (evenNext[k])
    private static void boxMeans(Scratch t, int n) {
        int[] even = t.even;
        int[] odd = t.odd;
        int[] oddNext = t.oddNext;
        int[] evenSum = t.evenSum;
        for (int k = 0; k < n; k++) {
            evenSum[k] = even[k] + ((odd[k] >>> 16) | (oddNext[k] << 16)) + TWO_TWOS;
        }
        int[] evenNext = t.evenNext;
        int[] means = t.means;
        for (int k = 0; k < n; k++) {
            means[k] = ((evenSum[k] >>> 2) & LOW_BYTES) | ((((odd[k] + evenNext[k] + TWO_TWOS) >>> 2) & LOW_BYTES) << 8);
        }
    }

    // d[o, o + 12 groups) = bytes 6x .. 6x + 2 of the means, for groups of 4 pixels: 6 ints -> 3 ints each
    static void keepPixelStarts(int[] means, byte[] d, int o, int groups) {
        for (int g = 0, k = 0; g < groups; g++, k += 6, o += 12) {
            int h1 = means[k + 1];
            int h3 = means[k + 3];
            int h4 = means[k + 4];
            INTS.set(d, o, (means[k] & 0xFFFFFF) | (h1 << 8 & 0xFF000000));
            INTS.set(d, o + 4, (h1 >>> 24) | (means[k + 2] & 0xFF) << 8 | h3 << 16);
            INTS.set(d, o + 8, (h3 >>> 16 & 0xFF) | (h4 >>> 16) << 8 | means[k + 5] << 24);
        }
    }
}
