package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Median filter that gives the same bytes as OpenCV 4.6's {@code cv2.medianBlur} on 8-bit images with 1 or 3
 * channels: every output sample is the exact median of the {@code ksize x ksize} window of its channel, with
 * the border handled by {@code BORDER_REPLICATE} (pixels outside the image take the value of the nearest edge
 * pixel). Because the median is exact, any correct method gives the same output; three are kept here:
 * <ul>
 *   <li>{@link #naive}: gather the window, sort it, take the middle. The reference.</li>
 *   <li>ksize 3 and 5: a selection network run on whole rows at once (data-parallel min/max over arrays of
 *       samples packed 7 to a {@code long}): every column of the window is sorted once and shared by the
 *       {@code ksize} windows that contain it, for 5 every two neighbouring columns are merged once and shared
 *       too, and a network pruned to the comparators that decide the median finishes each window
 *       ({@link SmallWindowPlan}).</li>
 *   <li>ksize 7 and more: Huang's sliding histogram (256 bins per channel, {@code 2 * ksize} updates per
 *       pixel and a median pointer that moves by small steps), so the cost grows with {@code ksize}, not
 *       {@code ksize^2}.</li>
 * </ul>
 * Large images run on {@link RowBands} threads with the same result as one thread.
 */
public final class MedianBlur {
    private static final SmallWindowPlan PLAN3 = SmallWindowPlan.forWindow(3);
    private static final SmallWindowPlan PLAN5 = SmallWindowPlan.forWindow(5);

    private MedianBlur() {}

    /**
     * {@return {@code cv2.medianBlur(img, ksize)}}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd window size >= 1 (1 returns a copy)
     * @throws IllegalArgumentException if {@code ksize} is not odd and positive, or the image does not have
     *                                  1 or 3 channels
     */
    public static Image8 apply(Image8 src, int ksize) {
        check(src, ksize);
        if (ksize == 1) {
            return src.copy();
        }
        if (ksize == 3) {
            return network(src, PLAN3);
        }
        if (ksize == 5) {
            return network(src, PLAN5);
        }
        return histogram(src, ksize);
    }

    private static void check(Image8 src, int ksize) {
        Image8.requireChannels("medianBlur source", src.channels(), 1, 3);
        if (ksize < 1 || (ksize & 1) == 0) {
            throw new IllegalArgumentException("medianBlur: ksize is " + ksize + ", expected an odd number >= 1");
        }
    }

    // ---- the reference ------------------------------------------------------------------------------

    /**
     * Sorts every window: O(ksize^2 log ksize) per pixel. The reference the fast paths are tested against.
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd window size
     * @return the filtered image, a new one
     */
    public static Image8 naive(Image8 src, int ksize) {
        check(src, ksize);
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int r = ksize / 2;
        Image8 dst = new Image8(w, h, cn);
        int[] window = new int[ksize * ksize];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < cn; c++) {
                    int n = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        int sy = Math.min(Math.max(y + dy, 0), h - 1);
                        for (int dx = -r; dx <= r; dx++) {
                            int sx = Math.min(Math.max(x + dx, 0), w - 1);
                            window[n++] = src.get(sx, sy, c);
                        }
                    }
                    Arrays.sort(window);
                    dst.set(x, y, c, window[window.length / 2]);
                }
            }
        }
        return dst;
    }

    // ---- small windows: sorted columns, shared pair merges and a pruned selection network ---------

    /**
     * How the median of a {@code k x k} window (k = 3 or 5) is computed from comparators, each applied to whole
     * rows of samples at once (data-parallel min/max over arrays):
     * <ol>
     *   <li>every column of k samples is sorted, once per column and shared by the k windows that contain it
     *       ({@link #sortLo}, {@link #sortHi});</li>
     *   <li>for k = 5, every two neighbouring sorted columns are merged into a sorted list of 10
     *       ({@link #pairLo}, {@link #pairHi}), once per column and shared by the windows that contain both;</li>
     *   <li>each window takes its inputs from those sorted lists at its column offsets ({@link #inPair},
     *       {@link #inShift}, {@link #inRank}) and runs a network pruned to the comparators, and the halves of
     *       comparators, that the median depends on ({@link #opA}, {@link #opB}, {@link #opKind}).</li>
     * </ol>
     */
    static final class SmallWindowPlan {
        static final byte EXCHANGE = 0;
        /** Only the minimum is used: it goes to wire {@code opA}; {@code opB} is left as it was. */
        static final byte MIN = 1;
        /** Only the maximum is used: it goes to wire {@code opB}; {@code opA} is left as it was. */
        static final byte MAX = 2;

        final int k;
        /** Comparators that sort one column: wire i is the sample of row i of the window. */
        final int[] sortLo;
        final int[] sortHi;
        /** Comparators that merge sorted column x (wires 0..k-1) with sorted column x + 1 (wires k..2k-1). */
        final int[] pairLo;
        final int[] pairHi;
        /** pairRank[r] = the wire that holds rank r of the merged pair; empty when there are no pairs. */
        final int[] pairRank;
        /** Window wire w is rank inRank[w] of the pair (inPair[w]) or column starting inShift[w] columns right. */
        final boolean[] inPair;
        final int[] inShift;
        final int[] inRank;
        /** Window operations in order: opKind[i] applied to wires opA[i] (gets the minimum) and opB[i]. */
        final int[] opA;
        final int[] opB;
        final byte[] opKind;
        /** The wire that holds the median at the end. */
        final int out;

        private SmallWindowPlan(int k, List<int[]> sort, List<int[]> pair, int[] pairRank, boolean[] inPair,
                                int[] inShift, int[] inRank, List<int[]> ops, int out) {
            this.k = k;
            this.sortLo = sort.stream().mapToInt(o -> o[0]).toArray();
            this.sortHi = sort.stream().mapToInt(o -> o[1]).toArray();
            this.pairLo = pair.stream().mapToInt(o -> o[0]).toArray();
            this.pairHi = pair.stream().mapToInt(o -> o[1]).toArray();
            this.pairRank = pairRank;
            this.inPair = inPair;
            this.inShift = inShift;
            this.inRank = inRank;
            List<int[]> kept = prune(ops, inShift.length, out);
            this.opA = kept.stream().mapToInt(o -> o[0]).toArray();
            this.opB = kept.stream().mapToInt(o -> o[1]).toArray();
            this.opKind = new byte[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                opKind[i] = (byte) kept.get(i)[2];
            }
            this.out = out;
        }

        static SmallWindowPlan forWindow(int k) {
            if (k == 3) {
                return three();
            }
            if (k == 5) {
                return five();
            }
            throw new IllegalArgumentException("small-window plan: ksize is " + k + ", expected 3 or 5");
        }

        // 3x3: wire 3c + r is rank r of column c. The median is the median of (the largest of the column minima,
        // the median of the column medians, the smallest of the column maxima).
        private static SmallWindowPlan three() {
            boolean[] inPair = new boolean[9];
            int[] inShift = new int[9];
            int[] inRank = new int[9];
            for (int w = 0; w < 9; w++) {
                inShift[w] = w / 3;
                inRank[w] = w % 3;
            }
            List<int[]> ops = new ArrayList<>();
            ops.add(new int[] {0, 3, MAX});
            ops.add(new int[] {3, 6, MAX}); // wire 6: largest minimum
            ops.add(new int[] {2, 5, MIN});
            ops.add(new int[] {2, 8, MIN}); // wire 2: smallest maximum
            ops.add(new int[] {1, 4, EXCHANGE});
            ops.add(new int[] {4, 7, MIN});
            ops.add(new int[] {1, 4, MAX}); // wire 4: median of the medians
            ops.add(new int[] {6, 4, EXCHANGE});
            ops.add(new int[] {4, 2, MIN});
            ops.add(new int[] {6, 4, MAX}); // wire 4: median of the three
            return new SmallWindowPlan(3, sortingNetwork(3), List.of(), new int[0], inPair, inShift, inRank, ops, 4);
        }

        // 5x5, window of columns x..x+4: wires 0..9 are the merged pair (x, x+1), wires 10..19 the pair (x+2, x+3),
        // wires 20..24 the sorted column x+4, all in rank order. Of the merge of the two pairs only ranks 7..12
        // can be the median (the column adds 5 samples that may all lie below or above), and those 6 candidates,
        // with 7 samples known to lie below them, are combined with the column: the median is the 6th smallest
        // of candidates Q and column C = min over i of max(Q[i-1], C[5-i]).
        private static SmallWindowPlan five() {
            List<int[]> pair = new ArrayList<>();
            int[] pairRank = batcherMerge(range(0, 5), range(5, 10), pair);
            boolean[] inPair = new boolean[25];
            int[] inShift = new int[25];
            int[] inRank = new int[25];
            for (int w = 0; w < 25; w++) {
                inPair[w] = w < 20;
                inShift[w] = w < 10 ? 0 : w < 20 ? 2 : 4;
                inRank[w] = w < 20 ? w % 10 : w - 20;
            }
            List<int[]> ops = new ArrayList<>();
            int[] merged = batcherMerge(range(0, 10), range(10, 20), ops);
            int[] terms = new int[6];
            for (int i = 1; i <= 6; i++) {
                int q = merged[7 + i - 1];
                if (i == 6) {
                    terms[i - 1] = q; // C[-1] = -infinity
                } else {
                    int c = 20 + 5 - i;
                    ops.add(new int[] {q, c, MAX});
                    terms[i - 1] = c;
                }
            }
            for (int i = 1; i < terms.length; i++) {
                ops.add(new int[] {terms[0], terms[i], MIN});
            }
            return new SmallWindowPlan(5, sortingNetwork(5), pair, pairRank, inPair, inShift, inRank, ops, terms[0]);
        }

        private static int[] range(int from, int to) {
            int[] r = new int[to - from];
            for (int i = 0; i < r.length; i++) {
                r[i] = from + i;
            }
            return r;
        }

        // Drops operations the output does not depend on, and turns an exchange whose minimum (maximum) is never
        // read again into a MAX (MIN).
        private static List<int[]> prune(List<int[]> ops, int wires, int out) {
            boolean[] live = new boolean[wires];
            live[out] = true;
            List<int[]> kept = new ArrayList<>();
            for (int i = ops.size() - 1; i >= 0; i--) {
                int[] op = ops.get(i);
                int a = op[0];
                int b = op[1];
                boolean minUsed = live[a] && op[2] != MAX;
                boolean maxUsed = live[b] && op[2] != MIN;
                if (!minUsed && !maxUsed) {
                    continue;
                }
                int kind = minUsed && maxUsed ? EXCHANGE : minUsed ? MIN : MAX;
                live[a] = true;
                live[b] = true;
                kept.add(0, new int[] {a, b, kind});
            }
            return kept;
        }

        /**
         * Comparators that sort k wires in place (rank r ends on wire r): Batcher's odd-even merge sort of the next
         * power of two, the wires above k holding +infinity, so that comparators with them are left out.
         */
        static List<int[]> sortingNetwork(int k) {
            List<int[]> ops = new ArrayList<>();
            int n = Integer.highestOneBit(Math.max(1, 2 * k - 1));
            for (int sorted = 1; sorted < n; sorted *= 2) {
                for (int lo = 0; lo < n; lo += 2 * sorted) {
                    oddEvenMerge(lo, 2 * sorted, 1, ops);
                }
            }
            ops.removeIf(op -> op[1] >= k);
            return ops;
        }

        private static void oddEvenMerge(int lo, int n, int r, List<int[]> ops) {
            int step = r * 2;
            if (step < n) {
                oddEvenMerge(lo, n, step, ops);
                oddEvenMerge(lo + r, n, step, ops);
                for (int i = lo + r; i + r < lo + n; i += step) {
                    ops.add(new int[] {i, i + r, EXCHANGE});
                }
            } else {
                ops.add(new int[] {lo, lo + r, EXCHANGE});
            }
        }

        /**
         * Appends the comparators (as {lo, hi, EXCHANGE}) of Batcher's odd-even merge of the sorted wire lists a and
         * b, both padded to the same power of two with +infinity (comparators with a padding wire are left out),
         * and returns the wires in rank order after them.
         */
        static int[] batcherMerge(int[] a, int[] b, List<int[]> ops) {
            int size = Integer.highestOneBit(Math.max(1, Math.max(a.length, b.length) * 2 - 1));
            int[] seq = new int[2 * size];
            Arrays.fill(seq, -1); // -1 = +infinity
            System.arraycopy(a, 0, seq, 0, a.length);
            System.arraycopy(b, 0, seq, size, b.length);
            mergeSeq(seq, 0, 2 * size, 1, ops);
            int[] out = new int[a.length + b.length];
            int n = 0;
            for (int w : seq) {
                if (w >= 0) {
                    out[n++] = w;
                }
            }
            return out;
        }

        private static void mergeSeq(int[] seq, int lo, int n, int r, List<int[]> ops) {
            int step = r * 2;
            if (step < n) {
                mergeSeq(seq, lo, n, step, ops);
                mergeSeq(seq, lo + r, n, step, ops);
                for (int i = lo + r; i + r < lo + n; i += step) {
                    exchange(seq, i, i + r, ops);
                }
            } else {
                exchange(seq, lo, lo + r, ops);
            }
        }

        private static void exchange(int[] seq, int i, int j, List<int[]> ops) {
            if (seq[j] < 0) {
                return; // min(v, +inf) = v stays, +inf stays on top
            }
            if (seq[i] < 0) {
                seq[i] = seq[j]; // +inf moves up
                seq[j] = -1;
                return;
            }
            ops.add(new int[] {seq[i], seq[j], EXCHANGE});
        }

        /** Number of comparators (halves counted as one) per output sample, column sort and pair merge included. */
        int comparators() {
            return sortLo.length + pairLo.length + opA.length;
        }

        /** The plan run on plain values: the median of a window given as k columns of k samples. For tests. */
        int median(int[][] window) {
            int[][] sorted = new int[k][];
            for (int c = 0; c < k; c++) {
                sorted[c] = window[c].clone();
                for (int i = 0; i < sortLo.length; i++) {
                    order(sorted[c], sortLo[i], sortHi[i], EXCHANGE);
                }
            }
            int[] w = new int[inShift.length];
            for (int i = 0; i < w.length; i++) {
                int c = inShift[i];
                if (inPair[i]) {
                    int[] p = new int[2 * k];
                    System.arraycopy(sorted[c], 0, p, 0, k);
                    System.arraycopy(sorted[c + 1], 0, p, k, k);
                    for (int j = 0; j < pairLo.length; j++) {
                        order(p, pairLo[j], pairHi[j], EXCHANGE);
                    }
                    w[i] = p[pairRank[inRank[i]]];
                } else {
                    w[i] = sorted[c][inRank[i]];
                }
            }
            for (int i = 0; i < opA.length; i++) {
                order(w, opA[i], opB[i], opKind[i]);
            }
            return w[out];
        }

        private static void order(int[] w, int a, int b, byte kind) {
            int lo = Math.min(w[a], w[b]);
            int hi = Math.max(w[a], w[b]);
            if (kind != MAX) {
                w[a] = lo;
            }
            if (kind != MIN) {
                w[b] = hi;
            }
        }
    }

    /** Samples packed per {@code long}: 7 fields of 9 bits (8 value bits + a guard bit for the compare). */
    static final int FIELDS = 7;
    private static final int FIELD_BITS = 9;
    /** The guard bit (bit 8) of every field. */
    private static final long GUARDS = guardBits();
    /** Phases: consecutive samples of a field go to 8 phase blocks, as the 8 bytes of a little-endian long. */
    private static final int PHASES = 8;
    /**
     * Most lanes per phase in a chunk (a 2592-pixel RGB row is one chunk of 139 + halo). Each comparator loop
     * starts and ends with a few scalar iterations, so long loops pay less for them (lanes 24 instead of 160
     * costs about 25 % more on median k = 5); 160 lanes keep a chunk's wires (8 * 160 longs each) in the L2 cache.
     */
    static final int MAX_LANES = 160;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static long guardBits() {
        long g = 0;
        for (int f = 0; f < FIELDS; f++) {
            g |= 1L << (FIELD_BITS * f + 8);
        }
        return g;
    }

    /**
     * Where the samples of a row go in the packed layout. The row (padded by r replicated pixels on both sides) is
     * cut into chunks of {@code 56 * lanesOut} output samples; in a chunk, field f holds the segment
     * {@code f * 8 * lanesOut + [0, 8 * lanes)} (consecutive segments overlap by the halo), and the samples of a
     * segment go 8 at a time to the 8 phases: sample {@code 8q + j} of the segment is field f of long
     * {@code j * lanes + q} of the chunk (phase-major). So the bytes of one little-endian long read from the row
     * spread over the 8 phases with shifts and masks (vectorised), and a shift by s samples is a shift of the
     * whole chunk by s phases, that is two array copies ({@link #shifted}).
     */
    private record Layout(int rowLen, int chunks, int lanesOut, int lanes) {
        static Layout of(int rowLen, int span) {
            int chunks = Math.max(1, ceilDiv(rowLen, FIELDS * PHASES * MAX_LANES));
            int halo = ceilDiv(span, PHASES); // the window reaches span samples to the right of its first column
            // lanes a multiple of 4: the comparator loops then run whole unrolled vector iterations
            int lanes = ceilDiv(ceilDiv(rowLen, FIELDS * PHASES * chunks) + halo, 4) * 4;
            return new Layout(rowLen, chunks, lanes - halo, lanes);
        }

        /** Output samples per chunk. */
        int chunkSamples() {
            return FIELDS * PHASES * lanesOut;
        }

        /** Samples between the starts of two fields' segments. */
        int segment() {
            return PHASES * lanesOut;
        }

        /** Longs per chunk. */
        int chunkLongs() {
            return PHASES * lanes;
        }

        /** Longs of a packed row, with room for the shifted reads past the last chunk. */
        int rowLongs() {
            return chunks * chunkLongs() + 2 * lanes;
        }

        /** Bytes of the padded source row the packing reads (the part past the padded row is never an output's). */
        int paddedBytes() {
            return chunks * chunkSamples() + PHASES * (lanes - lanesOut) + PHASES;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // src, dst: h x w x cn. Each source row is padded, packed into longs (Layout) once and kept in a ring of k
    // rows. For each output row: the k packed rows are copied and their columns sorted (cols[rank]); then per
    // chunk, the wires the plan asks for are shifted copies (the JIT vectorises a loop only when all its array
    // accesses have the same offset), the comparators run over the whole chunk, and the median wire is unpacked.
    // The window whose first column is padded sample i gives output sample i.
    private static Image8 network(Image8 src, SmallWindowPlan plan) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int k = plan.k;
        int r = k / 2;
        int rowLen = w * cn;
        Layout lay = Layout.of(rowLen, 2 * r * cn);
        int m = lay.chunkLongs();
        byte[] s = src.data();
        Image8 dst = new Image8(w, h, cn);
        byte[] d = dst.data();
        boolean pairs = plan.pairRank.length > 0;
        RowBands.run(h, rowLen, (from, to) -> {
            long[][] ring = new long[k][lay.rowLongs()];
            int[] ringRow = new int[k];
            Arrays.fill(ringRow, -1);
            byte[] padded = new byte[lay.paddedBytes()];
            long[][] scratch = new long[PHASES + 1][lay.lanes()];
            long[][] cols = new long[k][lay.rowLongs()];
            long[][] pw = new long[pairs ? 2 * k : 0][m + 2 * lay.lanes()];
            long[][] wires = new long[plan.inShift.length][];
            for (int i = 0; i < wires.length; i++) {
                // the pair at shift 0 is used where the pair stage leaves it
                wires[i] = plan.inPair[i] && plan.inShift[i] == 0 ? pw[plan.pairRank[plan.inRank[i]]] : new long[m];
            }
            for (int y = from; y < to; y++) {
                for (int j = 0; j < k; j++) {
                    int sy = Math.min(Math.max(y + j - r, 0), h - 1);
                    int slot = sy % k; // the k rows of a window are consecutive (or repeated): distinct slots
                    if (ringRow[slot] != sy) {
                        loadPaddedRow(s, sy * rowLen, w, cn, r, padded);
                        pack(padded, lay, ring[slot], scratch);
                        ringRow[slot] = sy;
                    }
                    System.arraycopy(ring[slot], 0, cols[j], 0, lay.rowLongs());
                }
                for (int c = 0; c < plan.sortLo.length; c++) {
                    compareExchange(cols[plan.sortLo[c]], cols[plan.sortHi[c]], lay.rowLongs());
                }
                for (int chunk = 0; chunk < lay.chunks(); chunk++) {
                    int base = chunk * m;
                    if (pairs) {
                        for (int rank = 0; rank < k; rank++) {
                            System.arraycopy(cols[rank], base, pw[rank], 0, m);
                            shifted(cols[rank], base, cn, lay.lanes(), pw[k + rank]);
                        }
                        for (int c = 0; c < plan.pairLo.length; c++) {
                            compareExchange(pw[plan.pairLo[c]], pw[plan.pairHi[c]], m);
                        }
                    }
                    for (int i = 0; i < wires.length; i++) {
                        int shift = plan.inShift[i] * cn;
                        if (!plan.inPair[i]) {
                            shifted(cols[plan.inRank[i]], base, shift, lay.lanes(), wires[i]);
                        } else if (shift > 0) {
                            shifted(pw[plan.pairRank[plan.inRank[i]]], 0, shift, lay.lanes(), wires[i]);
                        }
                    }
                    for (int c = 0; c < plan.opA.length; c++) {
                        long[] a = wires[plan.opA[c]];
                        long[] b = wires[plan.opB[c]];
                        switch (plan.opKind[c]) {
                            case SmallWindowPlan.MIN -> minInto(a, b, m);
                            case SmallWindowPlan.MAX -> maxInto(a, b, m);
                            default -> compareExchange(a, b, m);
                        }
                    }
                    unpack(wires[plan.out], lay, chunk, d, y * rowLen, scratch);
                }
            }
        });
        return dst;
    }

    // dst[j * lanes + q] = the value of the lane s samples to the right of lane (j, q) of the chunk at src[base]:
    // sample 8q + j + s is lane (q + a + carry) of phase (j + b) mod 8, s = 8a + b. Phases j < 8 - b read phase
    // j + b at lane q + a, the others phase j + b - 8 at lane q + a + 1: each group is one contiguous copy. Lanes
    // whose sample lies past the chunk's segment get other values; they only reach lanes that are not output.
    private static void shifted(long[] src, int base, int s, int lanes, long[] dst) {
        int a = s / PHASES;
        int b = s % PHASES;
        System.arraycopy(src, base + b * lanes + a, dst, 0, (PHASES - b) * lanes);
        if (b > 0) {
            System.arraycopy(src, base + a + 1, dst, (PHASES - b) * lanes, b * lanes);
        }
    }

    // Per 9-bit field, t = (u | guard) - v keeps its guard bit exactly when u >= v, never borrows from the next
    // field, and has u - v in its low 8 bits when u >= v; the guard bits become 0xFF masks, so dm = u - v where
    // u >= v and 0 elsewhere: min = u - dm, max = v + dm. Plain long arithmetic with no branches and every array
    // read at the loop index: the JIT turns the loops into vector instructions.
    private static void compareExchange(long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            long u = a[i];
            long v = b[i];
            long t = (u | GUARDS) - v;
            long ge = t & GUARDS;
            long dm = t & (ge - (ge >>> 8));
            a[i] = u - dm;
            b[i] = v + dm;
        }
    }

    // a[i] = min(a[i], b[i]) in each field
    private static void minInto(long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            long u = a[i];
            long t = (u | GUARDS) - b[i];
            long ge = t & GUARDS;
            a[i] = u - (t & (ge - (ge >>> 8)));
        }
    }

    // b[i] = max(a[i], b[i]) in each field
    private static void maxInto(long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            long v = b[i];
            long t = (a[i] | GUARDS) - v;
            long ge = t & GUARDS;
            b[i] = v + (t & (ge - (ge >>> 8)));
        }
    }

    // The padded row into its packed form (Layout): per chunk, raw[f][q] = the 8 bytes of field f's segment at
    // 8q (one little-endian long), then phase j of the chunk = byte j of those longs in 9-bit fields. The loops
    // are split so that each is small enough for the JIT to vectorise.
    private static void pack(byte[] padded, Layout lay, long[] out, long[][] scratch) {
        int lanes = lay.lanes();
        long[] t = scratch[PHASES];
        for (int chunk = 0; chunk < lay.chunks(); chunk++) {
            for (int f = 0; f < FIELDS; f++) {
                readLongs(padded, chunk * lay.chunkSamples() + f * lay.segment(), scratch[f], lanes);
            }
            long[] r0 = scratch[0];
            long[] r1 = scratch[1];
            long[] r2 = scratch[2];
            long[] r3 = scratch[3];
            long[] r4 = scratch[4];
            long[] r5 = scratch[5];
            long[] r6 = scratch[6];
            for (int j = 0; j < PHASES; j++) {
                int sh = 8 * j;
                for (int q = 0; q < lanes; q++) {
                    t[q] = (r0[q] >>> sh & 0xFF) | (r1[q] >>> sh & 0xFF) << 9 | (r2[q] >>> sh & 0xFF) << 18
                            | (r3[q] >>> sh & 0xFF) << 27;
                }
                for (int q = 0; q < lanes; q++) {
                    t[q] |= (r4[q] >>> sh & 0xFF) << 36 | (r5[q] >>> sh & 0xFF) << 45 | (r6[q] >>> sh & 0xFF) << 54;
                }
                System.arraycopy(t, 0, out, chunk * lay.chunkLongs() + j * lanes, lanes);
            }
        }
    }

    // out[q] = the little-endian long at b[off + 8q], q < n (C2 compiles the view to plain vector loads)
    private static void readLongs(byte[] b, int off, long[] out, int n) {
        for (int q = 0; q < n; q++) {
            out[q] = (long) LONGS.get(b, off + PHASES * q);
        }
    }

    // the longs v[0..n) to b[off..off + 8n), little-endian
    private static void writeLongs(long[] v, int n, byte[] b, int off) {
        for (int q = 0; q < n; q++) {
            LONGS.set(b, off + PHASES * q, v[q]);
        }
    }

    // The median wire of a chunk (phase-major) back to output bytes: field f of the 8 phases at lane q is the
    // little-endian long of output samples chunk start + f * segment + 8q; those past the row are not written.
    private static void unpack(long[] med, Layout lay, int chunk, byte[] d, int drow, long[][] scratch) {
        int lanesOut = lay.lanesOut();
        for (int j = 0; j < PHASES; j++) {
            System.arraycopy(med, j * lay.lanes(), scratch[j], 0, lanesOut);
        }
        long[] m0 = scratch[0];
        long[] m1 = scratch[1];
        long[] m2 = scratch[2];
        long[] m3 = scratch[3];
        long[] m4 = scratch[4];
        long[] m5 = scratch[5];
        long[] m6 = scratch[6];
        long[] m7 = scratch[7];
        long[] t = scratch[PHASES];
        for (int f = 0; f < FIELDS; f++) {
            int x0 = chunk * lay.chunkSamples() + f * lay.segment(); // first output sample of this segment
            int n = Math.min(PHASES * lanesOut, lay.rowLen() - x0);
            if (n <= 0) {
                break;
            }
            int sh = FIELD_BITS * f;
            for (int q = 0; q < lanesOut; q++) {
                t[q] = (m0[q] >>> sh & 0xFF) | (m1[q] >>> sh & 0xFF) << 8 | (m2[q] >>> sh & 0xFF) << 16
                        | (m3[q] >>> sh & 0xFF) << 24;
            }
            for (int q = 0; q < lanesOut; q++) {
                t[q] |= (m4[q] >>> sh & 0xFF) << 32 | (m5[q] >>> sh & 0xFF) << 40 | (m6[q] >>> sh & 0xFF) << 48
                        | (m7[q] >>> sh & 0xFF) << 56;
            }
            int full = n / PHASES;
            int o = drow + x0;
            writeLongs(t, full, d, o);
            for (int i = full * PHASES; i < n; i++) {
                d[o + i] = (byte) (t[i / PHASES] >>> (8 * (i % PHASES)));
            }
        }
    }

    // out[p * cn + c] = src(clamp(p - r), row, c) for p in [0, w + 2r); the rest of out (slack for packing) stays 0
    private static void loadPaddedRow(byte[] s, int srow, int w, int cn, int r, byte[] out) {
        int rowLen = w * cn;
        System.arraycopy(s, srow, out, r * cn, rowLen);
        for (int p = 0; p < r; p++) {
            for (int c = 0; c < cn; c++) {
                out[p * cn + c] = s[srow + c];
                out[(r + w + p) * cn + c] = s[srow + rowLen - cn + c];
            }
        }
    }

    // ---- large windows: Huang's sliding histogram ---------------------------------------------------

    // For each output row and channel, a 256-bin histogram of the window slides along x: one column of k
    // samples leaves, one enters. `med` is kept with `below` = number of window samples < med, and moved until
    // below <= rank < below + hist[med], rank = k*k/2.
    private static Image8 histogram(Image8 src, int k) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int rowLen = w * cn;
        byte[] s = src.data();
        Image8 dst = new Image8(w, h, cn);
        byte[] d = dst.data();
        RowBands.run(h, rowLen, (from, to) -> {
            int[] hist = new int[256];
            int[] rowStart = new int[k];
            for (int y = from; y < to; y++) {
                histogramRow(s, d, y, w, h, cn, k, hist, rowStart);
            }
        });
        return dst;
    }

    private static void histogramRow(byte[] s, byte[] d, int y, int w, int h, int cn, int k, int[] hist,
                                     int[] rowStart) {
        int r = k / 2;
        int rank = (k * k) / 2;
        int rowLen = w * cn;
        for (int j = 0; j < k; j++) {
            rowStart[j] = Math.min(Math.max(y + j - r, 0), h - 1) * rowLen;
        }
        for (int c = 0; c < cn; c++) {
            Arrays.fill(hist, 0);
            for (int dx = -r; dx <= r; dx++) {
                int sx = Math.min(Math.max(dx, 0), w - 1) * cn + c;
                for (int j = 0; j < k; j++) {
                    hist[s[rowStart[j] + sx] & 0xFF]++;
                }
            }
            int med = 0;
            int below = 0;
            while (below + hist[med] <= rank) {
                below += hist[med];
                med++;
            }
            int drow = y * rowLen + c;
            d[drow] = (byte) med;
            for (int x = 1; x < w; x++) {
                int out = Math.max(x - r - 1, 0) * cn + c;
                int in = Math.min(x + r, w - 1) * cn + c;
                for (int j = 0; j < k; j++) {
                    int vo = s[rowStart[j] + out] & 0xFF;
                    int vi = s[rowStart[j] + in] & 0xFF;
                    hist[vo]--;
                    hist[vi]++;
                    below += ((vi - med) >>> 31) - ((vo - med) >>> 31); // (vi < med) - (vo < med)
                }
                while (below > rank) {
                    med--;
                    below -= hist[med];
                }
                while (below + hist[med] <= rank) {
                    below += hist[med];
                    med++;
                }
                d[drow + x * cn] = (byte) med;
            }
        }
    }

    /** Exposed for tests: the histogram method for any odd ksize >= 3, whatever {@link #apply} would choose. */
    static Image8 histogramMethod(Image8 src, int ksize) {
        check(src, ksize);
        return ksize == 1 ? src.copy() : histogram(src, ksize);
    }

    /** Exposed for tests: the selection-network method (ksize 3 or 5). */
    static Image8 networkMethod(Image8 src, int ksize) {
        check(src, ksize);
        if (ksize != 3 && ksize != 5) {
            throw new IllegalArgumentException("network method: ksize is " + ksize + ", expected 3 or 5");
        }
        return network(src, ksize == 3 ? PLAN3 : PLAN5);
    }
}
