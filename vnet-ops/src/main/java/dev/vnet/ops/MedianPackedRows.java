package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@link MedianBlur} for ksize 3 and 5: a {@link MedianWindowPlan}'s comparators run on whole rows of samples packed
 * 7 to a {@code long} (data-parallel min/max).
 */
final class MedianPackedRows {
    static final MedianWindowPlan PLAN3 = MedianWindowPlan.forWindow(3);
    static final MedianWindowPlan PLAN5 = MedianWindowPlan.forWindow(5);

    private MedianPackedRows() {}

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
    static Image8 apply(Image8 src, MedianWindowPlan plan) {
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
                            case MedianWindowPlan.MIN -> minInto(a, b, m);
                            case MedianWindowPlan.MAX -> maxInto(a, b, m);
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
}
