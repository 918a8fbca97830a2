package dev.vnet.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
final class MedianWindowPlan {
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

    private MedianWindowPlan(int k, List<int[]> sort, List<int[]> pair, int[] pairRank, boolean[] inPair,
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

    static MedianWindowPlan forWindow(int k) {
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
    private static MedianWindowPlan three() {
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
        return new MedianWindowPlan(3, sortingNetwork(3), List.of(), new int[0], inPair, inShift, inRank, ops, 4);
    }

    // 5x5, window of columns x..x+4: wires 0..9 are the merged pair (x, x+1), wires 10..19 the pair (x+2, x+3),
    // wires 20..24 the sorted column x+4, all in rank order. Of the merge of the two pairs only ranks 7..12
    // can be the median (the column adds 5 samples that may all lie below or above), and those 6 candidates,
    // with 7 samples known to lie below them, are combined with the column: the median is the 6th smallest
    // of candidates Q and column C = min over i of max(Q[i-1], C[5-i]).
    private static MedianWindowPlan five() {
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
        return new MedianWindowPlan(5, sortingNetwork(5), pair, pairRank, inPair, inShift, inRank, ops, terms[0]);
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
