package dev.vnet.ops;

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
 *   <li>ksize 3 and 5: a selection network run on whole rows at once (data-parallel min/max over arrays):
 *       first every column of the window is sorted, once per column and shared by the {@code ksize}
 *       windows that contain it, then a merging network pruned to the comparators that decide the median.</li>
 *   <li>ksize 7 and more: Huang's sliding histogram (256 bins per channel, {@code 2 * ksize} updates per
 *       pixel and a median pointer that moves by small steps), so the cost grows with {@code ksize}, not
 *       {@code ksize^2}.</li>
 * </ul>
 * Large images run on {@link RowBands} threads with the same result as one thread.
 */
public final class MedianBlur {
    /** Output samples processed per pass of the selection network; keeps all its wires in the L1 cache. */
    private static final int TILE = 256;

    private static final SelectionNetwork NET3 = SelectionNetwork.forWindow(3);
    private static final SelectionNetwork NET5 = SelectionNetwork.forWindow(5);

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
            return network(src, NET3);
        }
        if (ksize == 5) {
            return network(src, NET5);
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

    // ---- small windows: selection network over whole rows ------------------------------------------

    /**
     * A comparator network for the median of a {@code k x k} window whose columns are already sorted. Wire
     * {@code col * k + rank} holds the element of sorted rank {@code rank} in column {@code col}.
     */
    static final class SelectionNetwork {
        final int k;
        /** Comparator i puts min(lo[i], hi[i]) on wire lo[i] and the max on wire hi[i]. */
        final int[] lo;
        final int[] hi;
        /** Comparators that sort one column of k values (wires 0..k-1). */
        final int[] sortLo;
        final int[] sortHi;
        /** The wire that holds the median after the network. */
        final int out;

        private SelectionNetwork(int k, int[] lo, int[] hi, int[] sortLo, int[] sortHi, int out) {
            this.k = k;
            this.lo = lo;
            this.hi = hi;
            this.sortLo = sortLo;
            this.sortHi = sortHi;
            this.out = out;
        }

        /**
         * Builds the network from Batcher's odd-even merges of the k sorted columns (each padded to a power of
         * two with +infinity), drops comparators that touch +infinity, and keeps only the comparators the median
         * wire depends on.
         */
        static SelectionNetwork forWindow(int k) {
            int block = Integer.highestOneBit(Math.max(1, 2 * k - 1)); // next power of two >= k
            int blocks = block;
            int n = block * blocks;
            List<int[]> merge = new ArrayList<>();
            batcherSort(0, n, block, merge);
            int[] phys = new int[n]; // logical wire -> physical wire, or -1 for +infinity
            Arrays.fill(phys, -1);
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < k; i++) {
                    phys[c * block + i] = c * k + i;
                }
            }
            List<int[]> ops = new ArrayList<>();
            for (int[] cmp : merge) {
                int a = phys[cmp[0]];
                int b = phys[cmp[1]];
                if (a >= 0 && b >= 0) {
                    ops.add(new int[] {a, b});
                } else if (a < 0 && b >= 0) {
                    phys[cmp[0]] = b; // min(+inf, v) = v moves down; +inf moves up
                    phys[cmp[1]] = -1;
                }
            }
            int out = phys[(k * k) / 2];
            boolean[] needed = new boolean[k * k];
            needed[out] = true;
            List<int[]> kept = new ArrayList<>();
            for (int i = ops.size() - 1; i >= 0; i--) {
                int[] op = ops.get(i);
                if (needed[op[0]] || needed[op[1]]) {
                    needed[op[0]] = true;
                    needed[op[1]] = true;
                    kept.add(0, op);
                }
            }
            List<int[]> sort = new ArrayList<>();
            batcherSort(0, block, 1, sort);
            List<int[]> sortOps = new ArrayList<>();
            for (int[] cmp : sort) {
                if (cmp[1] < k) { // comparators with a padding (+inf) wire are no-ops: +inf stays on top
                    sortOps.add(cmp);
                }
            }
            return new SelectionNetwork(k,
                    kept.stream().mapToInt(o -> o[0]).toArray(), kept.stream().mapToInt(o -> o[1]).toArray(),
                    sortOps.stream().mapToInt(o -> o[0]).toArray(), sortOps.stream().mapToInt(o -> o[1]).toArray(),
                    out);
        }

        // Batcher's odd-even merge sort of wires [lo, lo + n), assuming blocks of `sorted` wires are sorted.
        private static void batcherSort(int lo, int n, int sorted, List<int[]> out) {
            if (n > sorted) {
                int m = n / 2;
                batcherSort(lo, m, sorted, out);
                batcherSort(lo + m, m, sorted, out);
                batcherMerge(lo, n, 1, out);
            }
        }

        private static void batcherMerge(int lo, int n, int r, List<int[]> out) {
            int step = r * 2;
            if (step < n) {
                batcherMerge(lo, n, step, out);
                batcherMerge(lo + r, n, step, out);
                for (int i = lo + r; i + r < lo + n; i += step) {
                    out.add(new int[] {i, i + r});
                }
            } else {
                out.add(new int[] {lo, lo + r});
            }
        }

        /** Number of comparators per output sample, column sorting included. */
        int comparators() {
            return lo.length + sortLo.length;
        }
    }

    /** Samples packed per {@code long} lane: 7 fields of 9 bits (8 value bits + a guard bit for the compare). */
    static final int FIELDS = 7;
    private static final int FIELD_BITS = 9;
    /** The guard bit (bit 8) of every field. */
    private static final long GUARDS = guardBits();

    private static long guardBits() {
        long g = 0;
        for (int f = 0; f < FIELDS; f++) {
            g |= 1L << (FIELD_BITS * f + 8);
        }
        return g;
    }

    // src, dst: h x w x cn. A source row padded by r replicated pixels on both sides (padLen samples) is packed
    // into longs: field f of packed[i] = padded[i + f * L], L = ceil(rowLen / 7), so a step of one sample is a
    // step of one long in every field at once and each long carries 7 independent lanes. For each output row
    // the k packed source rows (each packed once, kept in a ring) have their columns sorted
    // (cols[rank][i]); then tiles run the merging network with wire (col, rank) = cols[rank][i + col * cn],
    // and field f of the median wire at i is output sample i + f * L.
    private static Image8 network(Image8 src, SelectionNetwork net) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int k = net.k;
        int r = k / 2;
        int rowLen = w * cn;
        int lanes = (rowLen + FIELDS - 1) / FIELDS;
        int packedLen = lanes + 2 * r * cn;
        byte[] s = src.data();
        Image8 dst = new Image8(w, h, cn);
        byte[] d = dst.data();
        RowBands.run(h, rowLen, (from, to) -> {
            long[][] ring = new long[k][packedLen];
            int[] ringRow = new int[k];
            Arrays.fill(ringRow, -1);
            byte[] padded = new byte[FIELDS * lanes + 2 * r * cn];
            long[][] cols = new long[k][packedLen];
            long[][] wires = new long[k * k][TILE];
            for (int y = from; y < to; y++) {
                for (int j = 0; j < k; j++) {
                    int sy = Math.min(Math.max(y + j - r, 0), h - 1);
                    int slot = sy % k; // the k rows of a window are consecutive (or repeated): distinct slots
                    if (ringRow[slot] != sy) {
                        loadPaddedRow(s, sy * rowLen, w, cn, r, padded);
                        pack(padded, lanes, ring[slot]);
                        ringRow[slot] = sy;
                    }
                    System.arraycopy(ring[slot], 0, cols[j], 0, packedLen);
                }
                networkRow(d, y * rowLen, rowLen, lanes, cn, net, cols, wires);
            }
        });
        return dst;
    }

    private static void networkRow(byte[] d, int drow, int rowLen, int lanes, int cn, SelectionNetwork net,
                                   long[][] cols, long[][] wires) {
        int k = net.k;
        int packedLen = cols[0].length;
        for (int c = 0; c < net.sortLo.length; c++) {
            compareExchange(cols[net.sortLo[c]], cols[net.sortHi[c]], packedLen);
        }
        for (int i0 = 0; i0 < lanes; i0 += TILE) {
            int len = Math.min(TILE, lanes - i0);
            for (int col = 0; col < k; col++) {
                for (int rank = 0; rank < k; rank++) {
                    System.arraycopy(cols[rank], i0 + col * cn, wires[col * k + rank], 0, len);
                }
            }
            for (int c = 0; c < net.lo.length; c++) {
                compareExchange(wires[net.lo[c]], wires[net.hi[c]], len);
            }
            long[] m = wires[net.out];
            for (int f = 0; f < FIELDS; f++) {
                int x0 = i0 + f * lanes; // output sample of field f at lane i0
                int n = Math.min(len, rowLen - x0);
                int shift = FIELD_BITS * f;
                for (int t = 0; t < n; t++) {
                    d[drow + x0 + t] = (byte) (m[t] >>> shift);
                }
            }
        }
    }

    // a[i], b[i] = min, max in each 9-bit field. Per field, (a | guard) - b keeps its guard bit exactly when
    // a >= b and never borrows from the next field; the guard bits become 0xFF masks that select the swap.
    // Plain long arithmetic with no branches: the JIT turns it into vector instructions.
    private static void compareExchange(long[] a, long[] b, int n) {
        for (int i = 0; i < n; i++) {
            long u = a[i];
            long v = b[i];
            long ge = ((u | GUARDS) - v) & GUARDS;
            long swap = (u ^ v) & (ge - (ge >>> 8));
            a[i] = u ^ swap;
            b[i] = v ^ swap;
        }
    }

    // out[i] = sum_f padded[i + f * lanes] << (9 f), for i in [0, out.length)
    private static void pack(byte[] padded, int lanes, long[] out) {
        int n = out.length;
        for (int i = 0; i < n; i++) {
            out[i] = padded[i] & 0xFF;
        }
        for (int f = 1; f < FIELDS; f++) {
            int off = f * lanes;
            int shift = FIELD_BITS * f;
            for (int i = 0; i < n; i++) {
                out[i] |= (long) (padded[off + i] & 0xFF) << shift;
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
        return network(src, ksize == 3 ? NET3 : NET5);
    }
}
