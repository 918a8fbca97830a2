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
 *   <li>ksize 3 and 5: a selection network run on whole rows at once (data-parallel min/max over arrays, three
 *       samples packed per int): first every column of the window is sorted, once per column and shared by
 *       the {@code ksize} windows that contain it, then a merging network pruned to the comparators that
 *       decide the median (for 3x3, the median of the largest low, the middle median and the smallest high).</li>
 *   <li>ksize 7 and more: Huang's sliding histogram (256 bins per channel, {@code 2 * ksize} updates per
 *       pixel and a median pointer that moves by small steps), so the cost grows with {@code ksize}, not
 *       {@code ksize^2}.</li>
 * </ul>
 * Large images run on {@link RowBands} threads with the same result as one thread.
 */
public final class MedianBlur {
    /** Packed ints processed per pass of the selection network; keeps all its wires in the L1 cache. */
    private static final int TILE = 1024;

    private static final SelectionNetwork NET3 = SelectionNetwork.forWindow(3);
    private static final SelectionNetwork NET5 = SelectionNetwork.forWindow(5);

    private MedianBlur() {}

    /**
     * {@code cv2.medianBlur(img, ksize)}.
     *
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

    /** Sorts every window: O(ksize^2 log ksize) per pixel. The reference the fast paths are tested against. */
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

    // Three 8-bit samples share one int, in bits 0-7, 10-17 and 20-27 ("lanes"): one compare-exchange of two ints
    // orders three pairs at once, with plain int arithmetic that the JIT vectorises (Java 17 vectorises neither
    // Math.min/max nor arithmetic on bytes). Bits 8 and 9 of every lane stay 0; bit 8 is the borrow guard below.
    private static final int LANE_GUARDS = 0x10040100;

    // src, dst: h x w x cn. An image row becomes a row of packed ints: for 3 channels int i holds pixel i - r
    // (the three channels), for 1 channel lane f of int i holds sample f * third + i - r (the row cut in three
    // pieces), with BORDER_REPLICATE clamping in both cases. For each output row the k packed source rows
    // (kept in a ring) have their columns sorted (cols[rank][p]); then tiles of the row run the merging network
    // with wire (col, rank) = cols[rank][x + col], copied so that every loop is a same-index int loop.
    private static Image8 network(Image8 src, SelectionNetwork net) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int k = net.k;
        int r = k / 2;
        int lanes = cn == 3 ? w : (w + 2) / 3; // packed ints per row, without the padding
        int padLen = lanes + 2 * r;
        byte[] s = src.data();
        Image8 dst = new Image8(w, h, cn);
        byte[] d = dst.data();
        RowBands.run(h, (long) w * cn, (from, to) -> {
            int[][] ring = new int[k][padLen];
            int[] ringRow = new int[k];
            Arrays.fill(ringRow, -1);
            int[][] rows = new int[k][];
            int[][] cols = new int[k][padLen];
            int[][] wires = new int[k * k + 1][TILE];
            for (int y = from; y < to; y++) {
                for (int j = 0; j < k; j++) {
                    int slot = (y + j) % k; // holds logical row y + j - r
                    if (ringRow[slot] != y + j) {
                        int sy = Math.min(Math.max(y + j - r, 0), h - 1);
                        if (cn == 3) {
                            packPixels(s, sy * w * 3, w, r, ring[slot]);
                        } else {
                            packThirds(s, sy * w, w, lanes, r, ring[slot]);
                        }
                        ringRow[slot] = y + j;
                    }
                    rows[j] = ring[slot];
                }
                networkRow(rows, d, y * w * cn, w, cn, lanes, net, cols, wires);
            }
        });
        return dst;
    }

    private static void networkRow(int[][] rows, byte[] d, int drow, int w, int cn, int lanes, SelectionNetwork net,
                                   int[][] cols, int[][] wires) {
        int k = net.k;
        int padLen = lanes + k - 1;
        for (int j = 0; j < k; j++) {
            System.arraycopy(rows[j], 0, cols[j], 0, padLen);
        }
        for (int c = 0; c < net.sortLo.length; c++) {
            compareExchange(cols[net.sortLo[c]], cols[net.sortHi[c]], padLen);
        }
        for (int x0 = 0; x0 < lanes; x0 += TILE) {
            int len = Math.min(TILE, lanes - x0);
            for (int col = 0; col < k; col++) {
                for (int rank = 0; rank < k; rank++) {
                    System.arraycopy(cols[rank], x0 + col, wires[col * k + rank], 0, len);
                }
            }
            int[] m;
            if (k == 3) {
                m = wires[9];
                median3x3(wires, m, len);
            } else {
                for (int c = 0; c < net.lo.length; c++) {
                    compareExchange(wires[net.lo[c]], wires[net.hi[c]], len);
                }
                m = wires[net.out];
            }
            if (cn == 3) {
                for (int x = 0, o = drow + x0 * 3; x < len; x++, o += 3) {
                    int v = m[x];
                    d[o] = (byte) v;
                    d[o + 1] = (byte) (v >>> 10);
                    d[o + 2] = (byte) (v >>> 20);
                }
            } else {
                for (int f = 0; f < 3; f++) {
                    int first = f * lanes + x0;
                    int n = Math.min(len, w - first);
                    for (int x = 0; x < n; x++) {
                        d[drow + first + x] = (byte) (m[x] >>> (10 * f));
                    }
                }
            }
        }
    }

    // 3x3 windows whose columns are sorted (wire col * 3 + rank): the median is the median of the largest low,
    // the median middle and the smallest high. One loop that keeps everything in registers: about half the
    // work of the merging network, which loads and stores two wires per comparator.
    private static void median3x3(int[][] wires, int[] out, int len) {
        int[] lo0 = wires[0];
        int[] mid0 = wires[1];
        int[] hi0 = wires[2];
        int[] lo1 = wires[3];
        int[] mid1 = wires[4];
        int[] hi1 = wires[5];
        int[] lo2 = wires[6];
        int[] mid2 = wires[7];
        int[] hi2 = wires[8];
        for (int i = 0; i < len; i++) {
            int a = max(max(lo0[i], lo1[i]), lo2[i]);
            int c = min(min(hi0[i], hi1[i]), hi2[i]);
            int m0 = mid0[i];
            int m1 = mid1[i];
            int b = max(min(m0, m1), min(max(m0, m1), mid2[i]));
            out[i] = max(min(a, b), min(max(a, b), c));
        }
    }

    // Lane-wise min and max of packed ints (see compareExchange).
    private static int min(int u, int v) {
        int ge = ((u | LANE_GUARDS) - v) & LANE_GUARDS;
        return u ^ ((u ^ v) & (ge - (ge >>> 8)));
    }

    private static int max(int u, int v) {
        int ge = ((u | LANE_GUARDS) - v) & LANE_GUARDS;
        return v ^ ((u ^ v) & (ge - (ge >>> 8)));
    }

    // Per lane: a[i], b[i] = min, max. (a | guard) - b borrows the lane's guard bit (bit 8) exactly when a < b,
    // without touching the next lane; the guard bit that is left, spread to 0xFF (g - (g >> 8)), selects
    // which of a ^ b to flip.
    private static void compareExchange(int[] a, int[] b, int len) {
        for (int i = 0; i < len; i++) {
            int u = a[i];
            int v = b[i];
            int ge = ((u | LANE_GUARDS) - v) & LANE_GUARDS; // guard bit kept in each lane where u >= v
            int flip = (u ^ v) & (ge - (ge >>> 8));
            a[i] = u ^ flip;
            b[i] = v ^ flip;
        }
    }

    // out[p] = pixel clamp(p - r) of the row at srow, channels in lanes 0, 1, 2; p in [0, w + 2r)
    private static void packPixels(byte[] s, int srow, int w, int r, int[] out) {
        for (int x = 0, i = srow; x < w; x++, i += 3) {
            out[r + x] = (s[i] & 0xFF) | (s[i + 1] & 0xFF) << 10 | (s[i + 2] & 0xFF) << 20;
        }
        for (int p = 0; p < r; p++) {
            out[p] = out[r];
            out[r + w + p] = out[r + w - 1];
        }
    }

    // lane f of out[p] = sample clamp(f * lanes + p - r) of the row at srow; p in [0, lanes + 2r)
    private static void packThirds(byte[] s, int srow, int w, int lanes, int r, int[] out) {
        int n = lanes + 2 * r;
        for (int p = 0; p < n; p++) {
            int x0 = p - r;
            int x1 = lanes + p - r;
            int x2 = 2 * lanes + p - r;
            x0 = Math.min(Math.max(x0, 0), w - 1);
            x1 = Math.min(Math.max(x1, 0), w - 1);
            x2 = Math.min(Math.max(x2, 0), w - 1);
            out[p] = (s[srow + x0] & 0xFF) | (s[srow + x1] & 0xFF) << 10 | (s[srow + x2] & 0xFF) << 20;
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
