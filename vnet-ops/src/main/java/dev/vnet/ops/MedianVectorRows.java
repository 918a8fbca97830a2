package dev.vnet.ops;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MedianBlur} for ksize 3 and 5 on byte vectors of the JDK's Vector API (loaded only when the module
 * {@code jdk.incubator.vector} is present, see {@link VectorFilters}): the same selection as
 * {@link MedianWindowPlan} (sort every column once, for 5 merge every two neighbouring sorted columns once, then a
 * pruned network per window), with each wire a vector of 32 (AVX2) or 64 samples in registers. The bytes are
 * flipped by 0x80 on the way in and out so that the signed min/max of {@code ByteVector} order them as unsigned.
 * A row is processed in vector steps; the last step overlaps the one before (every step writes the same bytes
 * however often it runs), so rows shorter than one vector are left to the scalar code.
 */
final class MedianVectorRows {
    private static final VectorSpecies<Byte> S = ByteVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final byte FLIP = (byte) 0x80;
    /** Output samples per chunk of a row for ksize 5 (a multiple of 3 and of the vector lengths). */
    private static final int CHUNK5 = 1152;

    private MedianVectorRows() {}

    /** {@return whether rows of {@code rowLen} samples are long enough for the vector steps} */
    static boolean fits(int rowLen) {
        return rowLen >= L;
    }

    /** Output rows {@code [from, to)} of a filter of an image of {@code h} rows of {@code n} samples. */
    @FunctionalInterface
    private interface Band {
        void run(byte[] s, byte[] d, int h, int cn, int n, int from, int to);
    }

    private static Image8 filter(Image8 src, Band band) {
        int h = src.height();
        int cn = src.channels();
        int n = src.width() * cn;
        Image8 dst = new Image8(src.width(), h, cn);
        RowBands.run(h, n, (from, to) -> band.run(src.data(), dst.data(), h, cn, n, from, to));
        return dst;
    }

    /** {@return the 3x3 median of {@code src}} Rows of at least {@link #fits} samples. */
    static Image8 median3(Image8 src) {
        return filter(src, MedianVectorRows::median3);
    }

    // The steps run at p = 0, L, 2L, ... (a counted loop, in which the JIT drops the bounds checks of the vector
    // loads and stores) and, when the row is not a whole number of vectors, once more at n - L.
    private static void median3(byte[] s, byte[] d, int h, int cn, int n, int from, int to) {
        int stride = n + 2 * cn; // a sorted column at padded position p (pixel p / cn - 1)
        byte[] lo = new byte[stride];
        byte[] mid = new byte[stride];
        byte[] hi = new byte[stride];
        int whole = n - n % L;
        for (int y = from; y < to; y++) {
            int r0 = Math.max(y - 1, 0) * n;
            int r1 = y * n;
            int r2 = Math.min(y + 1, h - 1) * n;
            for (int p = 0; p < whole; p += L) {
                sortColumns3(s, r0, r1, r2, p, lo, mid, hi, cn);
            }
            if (whole < n) {
                sortColumns3(s, r0, r1, r2, n - L, lo, mid, hi, cn);
            }
            replicateEdges(lo, n, cn, 1);
            replicateEdges(mid, n, cn, 1);
            replicateEdges(hi, n, cn, 1);
            for (int q = 0; q < whole; q += L) {
                median3(lo, mid, hi, q, cn, d, r1);
            }
            if (whole < n) {
                median3(lo, mid, hi, n - L, cn, d, r1);
            }
        }
    }

    // lo, mid, hi at padded position cn + p = the sorted column of the source rows at r0, r1, r2 at sample p
    private static void sortColumns3(byte[] s, int r0, int r1, int r2, int p, byte[] lo, byte[] mid, byte[] hi,
                                     int cn) {
        ByteVector a = ByteVector.fromArray(S, s, r0 + p).lanewise(VectorOperators.XOR, FLIP);
        ByteVector b = ByteVector.fromArray(S, s, r1 + p).lanewise(VectorOperators.XOR, FLIP);
        ByteVector c = ByteVector.fromArray(S, s, r2 + p).lanewise(VectorOperators.XOR, FLIP);
        ByteVector l = a.min(b);
        ByteVector u = a.max(b);
        ByteVector m = u.min(c);
        u.max(c).intoArray(hi, cn + p);
        l.min(m).intoArray(lo, cn + p);
        l.max(m).intoArray(mid, cn + p);
    }

    // d[out + q ..] = the median of (largest minimum, median of the medians, smallest maximum) of the 3 columns
    private static void median3(byte[] lo, byte[] mid, byte[] hi, int q, int cn, byte[] d, int out) {
        int c2 = 2 * cn;
        ByteVector maxLo = ByteVector.fromArray(S, lo, q).max(ByteVector.fromArray(S, lo, q + cn))
                .max(ByteVector.fromArray(S, lo, q + c2));
        ByteVector minHi = ByteVector.fromArray(S, hi, q).min(ByteVector.fromArray(S, hi, q + cn))
                .min(ByteVector.fromArray(S, hi, q + c2));
        ByteVector medMid = median3(ByteVector.fromArray(S, mid, q), ByteVector.fromArray(S, mid, q + cn),
                ByteVector.fromArray(S, mid, q + c2));
        median3(maxLo, medMid, minHi).lanewise(VectorOperators.XOR, FLIP).intoArray(d, out + q);
    }

    private static ByteVector median3(ByteVector a, ByteVector b, ByteVector c) {
        return a.min(b).max(a.max(b).min(c));
    }

    /**
     * {@return the 5x5 median of {@code src}} Rows of at least {@link #fits} samples. Wire numbers as in
     * {@link MedianWindowPlan#forWindow}(5): the pair merge and window network below are that plan's comparators.
     */
    static Image8 median5(Image8 src) {
        return filter(src, MedianVectorRows::median5);
    }

    // A row is done in chunks of at most CHUNK5 output samples, so that the chunk's 15 rank rows (columns and
    // pairs, about 16 KB) stay in the level-1 cache from the pass that writes them to the pass that reads them.
    private static void median5(byte[] s, byte[] d, int h, int cn, int n, int from, int to) {
        int chunk = Math.min(n, CHUNK5);
        int stride = chunk + 4 * cn; // the chunk's sorted columns and pairs, rank r at r * stride
        byte[] col = new byte[5 * stride];
        byte[] pair = new byte[10 * stride]; // merged columns i and i + cn
        int[] rows = new int[5];
        for (int y = from; y < to; y++) {
            for (int j = 0; j < 5; j++) {
                rows[j] = Math.min(Math.max(y + j - 2, 0), h - 1) * n;
            }
            for (int x0 = 0; x0 < n; x0 += chunk) {
                int x1 = Math.min(x0 + chunk, n);
                int start = Math.min(x0, x1 - L); // at least one vector; a short last chunk overlaps the one before
                // the window of output sample q has its columns at local i = q - start .. q - start + 4 cn, the
                // column of sample r at local r + 2 cn - start
                int lo = Math.max(start - 2 * cn, 0);
                int hi = Math.min(x1 + 2 * cn, n);
                sortColumns5(s, rows, lo, hi, 2 * cn - start, col, stride);
                replicateColumns(col, stride, lo + 2 * cn - start, hi + 2 * cn - start, x1 - start + 4 * cn, cn);
                mergePairs(col, pair, stride, x1 - start + 2 * cn, cn);
                windows5(col, pair, stride, x1 - start, cn, d, y * n + start);
            }
        }
    }

    // col at local r + shift, ranks 0..4 = the sorted column of the 5 rows at sample r, for r in [lo, hi)
    private static void sortColumns5(byte[] s, int[] rows, int lo, int hi, int shift, byte[] col, int stride) {
        for (int i = lo; i < hi; i += L) {
            int p = Math.min(i, hi - L);
            ByteVector v0 = ByteVector.fromArray(S, s, rows[0] + p).lanewise(VectorOperators.XOR, FLIP);
            ByteVector v1 = ByteVector.fromArray(S, s, rows[1] + p).lanewise(VectorOperators.XOR, FLIP);
            ByteVector v2 = ByteVector.fromArray(S, s, rows[2] + p).lanewise(VectorOperators.XOR, FLIP);
            ByteVector v3 = ByteVector.fromArray(S, s, rows[3] + p).lanewise(VectorOperators.XOR, FLIP);
            ByteVector v4 = ByteVector.fromArray(S, s, rows[4] + p).lanewise(VectorOperators.XOR, FLIP);
            ByteVector t;
            t = v0.min(v1); v1 = v0.max(v1); v0 = t;
            t = v2.min(v3); v3 = v2.max(v3); v2 = t;
            t = v0.min(v2); v2 = v0.max(v2); v0 = t;
            t = v1.min(v3); v3 = v1.max(v3); v1 = t;
            t = v1.min(v2); v2 = v1.max(v2); v1 = t;
            t = v0.min(v4); v4 = v0.max(v4); v0 = t;
            t = v2.min(v4); v4 = v2.max(v4); v2 = t;
            t = v1.min(v2); v2 = v1.max(v2); v1 = t;
            t = v3.min(v4); v4 = v3.max(v4); v3 = t;
            v0.intoArray(col, shift + p);
            v1.intoArray(col, stride + shift + p);
            v2.intoArray(col, 2 * stride + shift + p);
            v3.intoArray(col, 3 * stride + shift + p);
            v4.intoArray(col, 4 * stride + shift + p);
        }
    }

    /**
     * Fills the local column positions outside the image (BORDER_REPLICATE): those in [0, first) from the first
     * pixel at [first, first + cn), those in [end, len) from the last pixel before end. The first pixel is
     * sample 0 of the image only when first > 0, and the last one the image's last only when end < len; the
     * channel of a position is its distance from first, modulo cn.
     */
    private static void replicateColumns(byte[] col, int stride, int first, int end, int len, int cn) {
        for (int rank = 0; rank < 5; rank++) {
            int base = rank * stride;
            for (int i = 0; i < first; i++) {
                col[base + i] = col[base + first + Math.floorMod(i - first, cn)];
            }
            for (int i = end; i < len; i++) {
                col[base + i] = col[base + end - cn + Math.floorMod(i - end, cn)];
            }
        }
    }

    // Batcher's merge of sorted columns p (wires 0..4) and p + cn (wires 5..9), stored in rank order.
    private static void mergePairs(byte[] col, byte[] pair, int stride, int count, int cn) {
        for (int i = 0; i < count; i += L) {
            int p = Math.min(i, count - L);
            ByteVector v0 = ByteVector.fromArray(S, col, p);
            ByteVector v1 = ByteVector.fromArray(S, col, stride + p);
            ByteVector v2 = ByteVector.fromArray(S, col, 2 * stride + p);
            ByteVector v3 = ByteVector.fromArray(S, col, 3 * stride + p);
            ByteVector v4 = ByteVector.fromArray(S, col, 4 * stride + p);
            ByteVector v5 = ByteVector.fromArray(S, col, cn + p);
            ByteVector v6 = ByteVector.fromArray(S, col, stride + cn + p);
            ByteVector v7 = ByteVector.fromArray(S, col, 2 * stride + cn + p);
            ByteVector v8 = ByteVector.fromArray(S, col, 3 * stride + cn + p);
            ByteVector v9 = ByteVector.fromArray(S, col, 4 * stride + cn + p);
            ByteVector t;
            t = v0.min(v5); v5 = v0.max(v5); v0 = t;
            t = v4.min(v9); v9 = v4.max(v9); v4 = t;
            t = v4.min(v5); v5 = v4.max(v5); v4 = t;
            t = v2.min(v7); v7 = v2.max(v7); v2 = t;
            t = v2.min(v4); v4 = v2.max(v4); v2 = t;
            t = v7.min(v5); v5 = v7.max(v5); v7 = t;
            t = v1.min(v6); v6 = v1.max(v6); v1 = t;
            t = v3.min(v8); v8 = v3.max(v8); v3 = t;
            t = v3.min(v6); v6 = v3.max(v6); v3 = t;
            t = v1.min(v2); v2 = v1.max(v2); v1 = t;
            t = v3.min(v4); v4 = v3.max(v4); v3 = t;
            t = v6.min(v7); v7 = v6.max(v7); v6 = t;
            t = v8.min(v5); v5 = v8.max(v5); v8 = t;
            // ranks 0..9 are on wires 0, 1, 2, 3, 4, 6, 7, 8, 5, 9
            v0.intoArray(pair, p);
            v1.intoArray(pair, stride + p);
            v2.intoArray(pair, 2 * stride + p);
            v3.intoArray(pair, 3 * stride + p);
            v4.intoArray(pair, 4 * stride + p);
            v6.intoArray(pair, 5 * stride + p);
            v7.intoArray(pair, 6 * stride + p);
            v8.intoArray(pair, 7 * stride + p);
            v5.intoArray(pair, 8 * stride + p);
            v9.intoArray(pair, 9 * stride + p);
        }
    }

    // The window of columns q .. q + 4cn: wires 0..9 the pair at q, 10..19 the pair at q + 2cn, 20..24 the column
    // at q + 4cn, all in rank order; the median ends on wire 24.
    private static void windows5(byte[] col, byte[] pair, int stride, int n, int cn, byte[] d, int out) {
        int c2 = 2 * cn;
        int c4 = 4 * cn;
        for (int i = 0; i < n; i += L) {
            int q = Math.min(i, n - L);
            ByteVector w0 = ByteVector.fromArray(S, pair, q);
            ByteVector w1 = ByteVector.fromArray(S, pair, stride + q);
            ByteVector w2 = ByteVector.fromArray(S, pair, 2 * stride + q);
            ByteVector w3 = ByteVector.fromArray(S, pair, 3 * stride + q);
            ByteVector w4 = ByteVector.fromArray(S, pair, 4 * stride + q);
            ByteVector w5 = ByteVector.fromArray(S, pair, 5 * stride + q);
            ByteVector w6 = ByteVector.fromArray(S, pair, 6 * stride + q);
            ByteVector w7 = ByteVector.fromArray(S, pair, 7 * stride + q);
            ByteVector w8 = ByteVector.fromArray(S, pair, 8 * stride + q);
            ByteVector w9 = ByteVector.fromArray(S, pair, 9 * stride + q);
            ByteVector w10 = ByteVector.fromArray(S, pair, c2 + q);
            ByteVector w11 = ByteVector.fromArray(S, pair, stride + c2 + q);
            ByteVector w12 = ByteVector.fromArray(S, pair, 2 * stride + c2 + q);
            ByteVector w13 = ByteVector.fromArray(S, pair, 3 * stride + c2 + q);
            ByteVector w14 = ByteVector.fromArray(S, pair, 4 * stride + c2 + q);
            ByteVector w15 = ByteVector.fromArray(S, pair, 5 * stride + c2 + q);
            ByteVector w16 = ByteVector.fromArray(S, pair, 6 * stride + c2 + q);
            ByteVector w17 = ByteVector.fromArray(S, pair, 7 * stride + c2 + q);
            ByteVector w18 = ByteVector.fromArray(S, pair, 8 * stride + c2 + q);
            ByteVector w19 = ByteVector.fromArray(S, pair, 9 * stride + c2 + q);
            ByteVector w20 = ByteVector.fromArray(S, col, c4 + q);
            ByteVector w21 = ByteVector.fromArray(S, col, stride + c4 + q);
            ByteVector w22 = ByteVector.fromArray(S, col, 2 * stride + c4 + q);
            ByteVector w23 = ByteVector.fromArray(S, col, 3 * stride + c4 + q);
            ByteVector w24 = ByteVector.fromArray(S, col, 4 * stride + c4 + q);
            ByteVector t;
            w10 = w0.max(w10);
            w8 = w8.min(w18);
            t = w8.min(w10); w10 = w8.max(w10); w8 = t;
            t = w4.min(w14); w14 = w4.max(w14); w4 = t;
            w8 = w4.max(w8);
            w14 = w14.min(w10);
            w12 = w2.max(w12);
            w6 = w6.min(w16);
            t = w6.min(w12); w12 = w6.max(w12); w6 = t;
            w8 = w6.max(w8);
            t = w12.min(w14); w14 = w12.max(w14); w12 = t;
            w11 = w1.max(w11);
            w9 = w9.min(w19);
            t = w9.min(w11); w11 = w9.max(w11); w9 = t;
            t = w5.min(w15); w15 = w5.max(w15); w5 = t;
            w9 = w5.max(w9);
            w15 = w15.min(w11);
            w13 = w3.max(w13);
            w7 = w7.min(w17);
            t = w7.min(w13); w13 = w7.max(w13); w7 = t;
            t = w7.min(w9); w9 = w7.max(w9); w7 = t;
            w13 = w13.min(w15);
            t = w7.min(w8); w8 = w7.max(w8); w7 = t;
            t = w9.min(w12); w12 = w9.max(w12); w9 = t;
            t = w13.min(w14); w14 = w13.max(w14); w13 = t;
            w24 = w7.max(w24);
            w23 = w8.max(w23);
            w22 = w9.max(w22);
            w21 = w12.max(w21);
            w20 = w13.max(w20);
            w24 = w24.min(w23).min(w22).min(w21).min(w20).min(w14);
            w24.lanewise(VectorOperators.XOR, FLIP).intoArray(d, out + q);
        }
    }

    private static void replicateEdges(byte[] a, int n, int cn, int r) {
        replicateEdges(a, 0, n, cn, r);
    }

    /**
     * Fills the {@code r} padding pixels on both sides of the row at {@code a[base + r·cn .. base + r·cn + n)} with
     * copies of its first and last pixel (BORDER_REPLICATE).
     */
    private static void replicateEdges(byte[] a, int base, int n, int cn, int r) {
        int first = base + r * cn;
        int last = first + n - cn;
        for (int j = 0; j < r; j++) {
            System.arraycopy(a, first, a, base + j * cn, cn);
            System.arraycopy(a, last, a, last + (j + 1) * cn, cn);
        }
    }
}
