package dev.vnet.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.vnet.parallel.WorkerPool;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

/**
 * How a stride-1 convolution is cut into matrix products. Output positions of an image are numbered over rows
 * {@code rowWidth} wide and cut into tiles of {@code tileRows} output rows; each tile is a sum of
 * {@code groups} products {@code out[k, cols] += A_g[k, inner] · B_g[inner, cols]}.
 * <ul>
 *   <li>shifted ({@code folded = false}): {@code B_g} for {@code g = (r, s)} is the zero-padded input itself,
 *   starting {@code r} rows and {@code s} columns later, rows {@code hp·wp} apart ({@code inner = c});
 *   positions are numbered over the padded width ({@code rowWidth = wp}), the last {@code s − 1} of each row
 *   being computed and discarded.</li>
 *   <li>folded: per tile, {@code Z[c, s, tileRows + r − 1, q]} holds the padded rows shifted by each column
 *   offset and cut to the output width; {@code B_g} for {@code g = r} is {@code Z} starting {@code r} rows
 *   later ({@code inner = c·s}, {@code rowWidth = q}). Costs an s-fold copy of the input but wastes no
 *   columns, which matters for narrow images.</li>
 * </ul>
 */
record ShiftedPlan(ConvGeometry g, boolean folded, int hp, int wp, int rowWidth, int span, int tileRows,
                   int tilesPerImage, int groups, int inner) {

    /**
     * Stride 1 with enough input channels: below {@link #MIN_PLAN_CHANNELS} the products' inner dimension is
     * too thin and one im2col product per tile is faster.
     */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.c() >= MIN_PLAN_CHANNELS;
    }

    static ShiftedPlan of(ConvGeometry g, boolean forWeights) {
        return of(g, forWeights, g.s() > 1 && g.q() < FOLD_BELOW_WIDTH);
    }

    static ShiftedPlan of(ConvGeometry g, boolean forWeights, boolean folded) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        int p = g.p(), q = g.q();
        int rowWidth = folded ? q : wp;
        int span = folded ? p * q : (p - 1) * wp + q;
        int inner = folded ? g.c() * g.s() : g.c();
        long small = GemmConvKernels.SMALL_GEMM_MNK / ((long) g.k() * inner);
        int rows;
        if (small >= rowWidth) {
            // as many rows as OpenBLAS multiplies without packing
            rows = (int) Math.min(p, Math.min(small, forWeights ? WEIGHT_TILE_COLUMNS : Integer.MAX_VALUE) / rowWidth);
        } else {
            long target = Math.max(64, PACKED_TILE_FLOATS / g.k());
            rows = (int) Math.max(1, Math.min(p, (target + rowWidth / 2) / rowWidth));
        }
        rows = Math.max(1, rows);
        int tiles = GemmConvKernels.ceilDiv(p, rows);
        rows = GemmConvKernels.ceilDiv(p, tiles);
        return new ShiftedPlan(g, folded, hp, wp, rowWidth, span, rows, tiles, folded ? g.r() : g.r() * g.s(), inner);
    }

    /** First output row of tile {@code t}. */
    int firstRow(int t) {
        return t * tileRows;
    }

    int rows(int t) {
        return Math.min(tileRows, g.p() - firstRow(t));
    }

    /** Number of positions of tile {@code t} (the last tile of the shifted plan ends at the last real column). */
    int columns(int t) {
        int j0 = firstRow(t) * rowWidth;
        return Math.min(rows(t) * rowWidth, span - j0);
    }

    /** Row stride of {@code B_g} in the source of tile {@code t}. */
    int ldb(int t) {
        return folded ? (rows(t) + g.r() - 1) * g.q() : hp * wp;
    }

    /** Offset of {@code B_g} for image {@code n}, tile {@code t} from its source. */
    long offset(int n, int t, int group) {
        if (folded) {
            return (long) group * g.q();
        }
        int r = group / g.s(), s = group % g.s();
        return (long) n * g.c() * hp * wp + (long) (firstRow(t) + r) * wp + s;
    }

    /**
     * Weights {@code wt[k, c, r, s]} rearranged into {@code A_g[k, inner]}, groups one after the other (in
     * parallel over output channels).
     */
    void stageWeights(float[] wt, float[] staged) {
        int c = g.c(), r = g.r(), s = g.s(), k = g.k(), rs = r * s;
        WorkerPool.current().forRange(k, (chunk, k0, k1) -> {
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int from = (kk * c + cc) * rs;
                    for (int rr = 0; rr < r; rr++) {
                        for (int ss = 0; ss < s; ss++) {
                            staged[stagedIndex(kk, cc, rr, ss)] = wt[from + rr * s + ss];
                        }
                    }
                }
            }
        });
    }

    /** Adds {@code A_g[k, inner]} gradients back into {@code dw[k, c, r, s]} (in parallel over output channels). */
    void unstageWeights(float[] staged, float[] dw) {
        int c = g.c(), r = g.r(), s = g.s(), k = g.k(), rs = r * s;
        WorkerPool.current().forRange(k, (chunk, k0, k1) -> {
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int to = (kk * c + cc) * rs;
                    for (int rr = 0; rr < r; rr++) {
                        for (int ss = 0; ss < s; ss++) {
                            dw[to + rr * s + ss] += staged[stagedIndex(kk, cc, rr, ss)];
                        }
                    }
                }
            }
        });
    }

    /** Where weight {@code [kk, cc, rr, ss]} stands in the staged {@code A_g} matrices. */
    private int stagedIndex(int kk, int cc, int rr, int ss) {
        int c = g.c(), s = g.s(), k = g.k();
        return folded ? (rr * k + kk) * c * s + cc * s + ss : ((rr * s + ss) * k + kk) * c + cc;
    }

    /**
     * The folded source of image {@code n}, tile {@code t}: {@code Z[(c, s), i, j] = xp[n, c, row0 + i, j + s]}
     * from the heap padded input {@code xp}.
     */
    void fold(float[] xp, int n, int t, FloatBuffer z, float[] line) {
        int q = g.q(), rows = rows(t) + g.r() - 1, ldb = rows * q;
        int row0 = firstRow(t);
        for (int c = 0; c < g.c(); c++) {
            int base = (n * g.c() + c) * hp * wp + row0 * wp;
            for (int s = 0; s < g.s(); s++) {
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(xp, base + i * wp + s, line, i * q, q);
                }
                z.put((c * g.s() + s) * ldb, line, 0, ldb);
            }
        }
    }

    /**
     * Output tile size in floats ({@code k × columns}) when a product is too large for OpenBLAS's unpacked kernel
     * anyway (many channels): 256 KiB, a good part of L2.
     */
    private static final int PACKED_TILE_FLOATS = 1 << 16;
    /**
     * Upper bound on the positions per tile of the weight-gradient products (their inner dimension): beyond it
     * the 16-channel products measured slower although still unpacked.
     */
    private static final int WEIGHT_TILE_COLUMNS = 1024;
    /**
     * Output width below which the folded plan is used: the shifted plan computes and discards {@code s − 1}
     * columns per row (20 % at 16 columns, 11 % at 32), the folded one pays an s-fold copy instead.
     * Per-core forward GFLOP/s measured (5×5, batch 4): 128×32² shifted 104–125, folded 131–137; 256×16² shifted
     * 82–100, folded 127–135; 64×64² shifted 131–141, folded 97–117.
     */
    private static final int FOLD_BELOW_WIDTH = 48;
    /** Fewer input channels than this: one im2col product per tile (the shifted products' inner dimension is c). */
    static final int MIN_PLAN_CHANNELS = 8;

    /** {@code y (+)= conv(x, wt) + bias} for a stride-1 geometry, {@code wt[k, c, r, s]} on the heap. */
    static void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                        GemmScratch caller) {
        ShiftedPlan plan = ShiftedPlan.of(g, false);
        float[] staged = caller.heap2(g.weightSize());
        plan.stageWeights(wt, staged);
        caller.weights(g.weightSize()).put(0, staged, 0, g.weightSize());
        FloatPointer a = caller.weightsPtr;
        float[] xp = plan.folded() ? caller.paddedInput(g, x) : null;
        FloatPointer source = plan.folded() ? null : caller.paddedOffHeap(g, x);
        int k = g.k(), inner = plan.inner(), tiles = plan.tilesPerImage();
        // views with their own positions, so that threads do not share a pointer's position
        WorkerPool.current().forRange(g.n() * tiles, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
            FloatPointer av = new FloatPointer(a);
            for (int unit = from; unit < to; unit++) {
                int n = unit / tiles, t = unit % tiles;
                int ncols = plan.columns(t), ldb = plan.ldb(t);
                FloatPointer b;
                if (plan.folded()) {
                    FloatBuffer z = s.col((long) inner * ldb);
                    plan.fold(xp, n, t, z, s.line(ldb));
                    b = new FloatPointer(s.colPtr);
                } else {
                    b = new FloatPointer(source);
                }
                s.out((long) k * ncols);
                for (int gr = 0; gr < plan.groups(); gr++) {
                    av.position((long) gr * k * inner);
                    b.position(plan.offset(n, t, gr));
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, ncols, inner,
                            1f, av, inner, b, ldb, gr == 0 ? 0f : 1f, s.outPtr, ncols);
                }
                Im2colConv.copyOut(g, s, n, plan.firstRow(t) * plan.rowWidth(), ncols, plan.rowWidth(), bias, y, accumulate);
            }
        });
    }

    /** {@code dw += x ⋆ dy} for a stride-1 geometry. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, GemmScratch caller) {
        ShiftedPlan plan = ShiftedPlan.of(g, true);
        float[] xp = plan.folded() ? caller.paddedInput(g, x) : null;
        FloatPointer source = plan.folded() ? null : caller.paddedOffHeap(g, x);
        int k = g.k(), p = g.p(), q = g.q(), inner = plan.inner(), tiles = plan.tilesPerImage();
        int units = g.n() * tiles;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
            FloatPointer partial = new FloatPointer(partials[chunk]);
            for (int unit = from; unit < to; unit++) {
                int n = unit / tiles, t = unit % tiles;
                int ncols = plan.columns(t), ldb = plan.ldb(t);
                FloatPointer b;
                if (plan.folded()) {
                    FloatBuffer z = s.col((long) inner * ldb);
                    plan.fold(xp, n, t, z, s.line(ldb));
                    b = new FloatPointer(s.colPtr);
                } else {
                    b = new FloatPointer(source);
                }
                // dy tile [k, ncols] over the plan's rows; columns past q of a padded row hold zeros
                FloatBuffer dyTile = s.out((long) k * ncols);
                int j0 = plan.firstRow(t) * plan.rowWidth();
                if (plan.folded()) {
                    for (int kk = 0; kk < k; kk++) {
                        dyTile.put(kk * ncols, dy, (n * k + kk) * p * q + j0, ncols);
                    }
                } else {
                    float[] line = s.line(ncols);
                    int cols = plan.rowWidth();
                    for (int kk = 0; kk < k; kk++) {
                        int dyk = (n * k + kk) * p * q;
                        Arrays.fill(line, 0, ncols, 0f);
                        for (int j = j0, end = j0 + ncols; j < end; j += cols) {
                            int row = j / cols;
                            System.arraycopy(dy, dyk + row * q, line, j - j0, Math.min(q, end - j));
                        }
                        dyTile.put(kk * ncols, line, 0, ncols);
                    }
                }
                for (int gr = 0; gr < plan.groups(); gr++) {
                    partial.position((long) gr * k * inner);
                    b.position(plan.offset(n, t, gr));
                    // partial_g[k, inner] (+)= dy_tile · B_g^T
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, inner, ncols,
                            1f, s.outPtr, ncols, b, ldb, unit == from ? 0f : 1f, partial, inner);
                }
            }
        });
        plan.unstageWeights(GemmConvKernels.sumPartials(partials, chunks, g.weightSize(), caller), dw);
    }
}
