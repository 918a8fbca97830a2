package dev.vnet.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.vnet.parallel.WorkerPool;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The convolution as matrix products on OpenBLAS's {@code sgemm}, on off-heap buffers.
 *
 * <h2>How</h2>
 * <ul>
 *   <li><b>Stride 1 with 8 or more input and output channels</b> (the 5×5 convolutions of V-Net): no im2col. The output of
 *   an image is cut into tiles of whole rows, and a tile is a sum of products over the kernel offsets, each
 *   reading the zero-padded input in place (see {@link Plan}):
 *   <ul>
 *     <li>shifted (output width 48 and more): {@code out[k, tile] += W[:, :, r, s] · xpad[c, tile shifted by (r, s)]}
 *     for each of the {@code r·s} offsets, inner dimension {@code c}; positions are numbered over the padded width,
 *     so a shift is a pointer offset, and the {@code s − 1} extra columns per row are computed and dropped;</li>
 *     <li>folded (narrower images, where those extra columns would cost 11–20 %): per tile, the padded rows are
 *     copied once per column offset {@code s} (an s-fold copy instead of im2col's r·s-fold one), then one product
 *     per {@code r} with inner dimension {@code c·s}.</li>
 *   </ul>
 *   Tiles are as large as OpenBLAS's unpacked small-matrix kernel allows ({@code m·n·k ≤ 100³}): on these shapes
 *   it is 10–50 % faster than the packed path. The gradient with respect to the input is the same computation on
 *   {@code dy} with the weights flipped and {@code k}, {@code c} swapped (padding {@code r − 1 − padH}); the
 *   gradient with respect to the weights uses the same tiles, {@code dW[:, :, r, s] += dy_tile · shifted_tileᵀ}.</li>
 *   <li><b>Stride 1 with 8 or more input channels but fewer output channels</b> (the 32 → 1 output convolution):
 *   the shifted products would have a single row each, so one product per tile stacks every kernel offset and the
 *   offsets are summed in Java afterwards (see {@link OffsetPlan}).</li>
 *   <li><b>Stride 1 with fewer channels</b> (the 1-channel input layer): im2col tiles of the padded image, one
 *   product per tile (the shifted products' inner dimension would be too thin).</li>
 *   <li><b>Any other geometry</b> (the 2×2 stride-2 down and up convolutions): a plain im2col over whole output
 *   rows and, for the input gradient, col2im.</li>
 * </ul>
 *
 * <h2>Threads and reproducibility</h2>
 * Work is split over (image, tile) pairs with {@link WorkerPool}; OpenBLAS itself is kept single-threaded
 * (its thread count is set to 1 on each call) so that the two never oversubscribe the cores.
 * Scratch buffers are per thread, grow as needed and are reused across calls.
 * <ul>
 *   <li>{@link #forward} and {@link #backwardInput}: each output tile is produced by the same {@code sgemm} calls
 *   in the same order (one per kernel offset, or a single one for im2col), whose shapes depend only on the geometry
 *   (tiles do not depend on the thread count), so results are bit-identical for every thread count.</li>
 *   <li>{@link #backwardWeight}: each chunk of (image, tile) pairs accumulates its own partial {@code dw}, and the
 *   partials are added in chunk order. Results are bit-identical from run to run with the same thread count,
 *   but differ in the last bits between thread counts (the summation order over images changes).
 *   The bias gradient does not depend on the thread count.</li>
 * </ul>
 */
public final class GemmConvKernels implements ConvKernels {

    /** Target size of an im2col tile in floats (1 MiB): fits the per-core L2 cache of current x86 CPUs. */
    private static final long TILE_FLOATS = 1L << 18;
    /** Minimum number of columns of a tile, so that BLAS packs the weight matrix for enough work. */
    private static final int MIN_TILE_COLUMNS = 512;
    /** OpenBLAS (0.3.17 and later, x86-64) multiplies without packing when {@code m·n·k} is at most 100³. */
    private static final long SMALL_GEMM_MNK = 1_000_000;
    /** Below this many columns a tile is too thin for the unpacked kernel to pay off. */
    private static final int MIN_SMALL_COLUMNS = 96;

    private static final GemmConvKernels INSTANCE = new GemmConvKernels();
    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private GemmConvKernels() {}

    /**
     * {@return the kernels, after loading OpenBLAS}
     *
     * @throws IllegalStateException if the OpenBLAS native library cannot be loaded on this platform
     */
    public static GemmConvKernels instance() {
        Throwable failure = load();
        if (failure != null) {
            throw new IllegalStateException("GemmConvKernels needs OpenBLAS through org.bytedeco:openblas (javacpp.platform="
                    + System.getProperty("javacpp.platform", "<unset>") + ", os.arch=" + System.getProperty("os.arch")
                    + "), but it could not be loaded: " + failure, failure);
        }
        return INSTANCE;
    }

    /** {@return whether the OpenBLAS native library can be loaded here} */
    public static boolean isAvailable() {
        return load() == null;
    }

    private static synchronized Throwable load() {
        if (!loaded && loadFailure == null) {
            try {
                OpenBlasCoreType.applyBeforeLoading();
                Loader.load(openblas_nolapack.class);
                loaded = true;
            } catch (Throwable t) {
                loadFailure = t;
            }
        }
        return loadFailure;
    }

    // ---------------------------------------------------------------------------------------------
    // forward: x [n,c,h,w], wt [k,c,r,s], bias [k] or null -> y [n,k,p,q] (overwritten)

    @Override
    public void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y) {
        NaiveConvKernels.checkSizes(g, x, "x", g.inputSize(), wt, g.weightSize(), y, "y", g.outputSize());
        NaiveConvKernels.checkBias(g, bias, "bias");
        forward(g, x, wt, bias, y, false);
    }

    // x [n,c,h,w], wt [k,c,r,s] -> y [n,k,p,q] (accumulated)
    @Override
    public void forwardAccumulate(ConvGeometry g, float[] x, float[] wt, float[] y) {
        NaiveConvKernels.checkSizes(g, x, "x", g.inputSize(), wt, g.weightSize(), y, "y", g.outputSize());
        forward(g, x, wt, null, y, true);
    }

    /** {@code y (+)= conv(x, wt) + bias} by the plan that fits the geometry, {@code wt} on the heap. */
    private void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate) {
        singleThreadedBlas();
        Scratch caller = scratch.get();
        if (OffsetPlan.applies(g)) {
            forwardOffsets(g, x, wt, bias, y, accumulate, caller);
        } else if (Plan.applies(g)) {
            forwardShifted(g, x, wt, bias, y, accumulate, caller);
        } else {
            caller.weights(g.weightSize()).put(0, wt, 0, g.weightSize());
            forwardWithWeights(g, x, caller.weightsPtr, bias, y, accumulate, caller);
        }
    }

    /**
     * {@code y (+)= conv(x, W) + bias} with {@code W[k, c·r·s]} already off-heap, by im2col tiles
     * (any geometry; used for strides other than 1).
     */
    private void forwardWithWeights(ConvGeometry g, float[] x, FloatPointer w, float[] bias, float[] y,
                                    boolean accumulate, Scratch caller) {
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        boolean padded = g.strideH() == 1 && g.strideW() == 1;
        int cols = padded ? g.w() + 2 * g.padW() : q;
        float[] src = padded ? caller.paddedInput(g, x) : x;
        int span = (p - 1) * cols + q;
        int tileCols = tileColumns(span, cols, padded, g.k(), crs);
        int tilesPerImage = ceilDiv(span, tileCols);
        WorkerPool.current().forRange(g.n() * tilesPerImage, (chunk, from, to) -> {
            Scratch s = scratch.get();
            for (int unit = from; unit < to; unit++) {
                int n = unit / tilesPerImage;
                int j0 = (unit % tilesPerImage) * tileCols;
                int ncols = Math.min(tileCols, span - j0);
                FloatBuffer col = s.col((long) crs * ncols);
                if (padded) {
                    im2colPadded(g, src, n, j0, ncols, col);
                } else {
                    im2col(g, x, n, j0 / q, ncols / q, col, s);
                }
                s.out((long) g.k() * ncols);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.k(), ncols, crs,
                        1f, w, crs, s.colPtr, ncols, 0f, s.outPtr, ncols);
                copyOut(g, s, n, j0, ncols, cols, bias, y, accumulate);
            }
        });
    }

    /**
     * Copies an output tile {@code out[k, ncols]} (flat positions {@code [j0, j0 + ncols)} of rows {@code cols}
     * wide, of which the first {@code q} of each row are real) from off-heap memory into {@code y}, adding the bias.
     */
    private static void copyOut(ConvGeometry g, Scratch s, int n, int j0, int ncols, int cols, float[] bias,
                                float[] y, boolean accumulate) {
        int p = g.p(), q = g.q();
        float[] line = accumulate ? s.line(q) : null;
        FloatBuffer out = s.outBuf;
        for (int k = 0; k < g.k(); k++) {
            float b = bias == null ? 0f : bias[k];
            int yk = (n * g.k() + k) * p * q;
            for (int j = j0, end = j0 + ncols; j < end; ) {
                int row = j / cols;
                int c0 = j - row * cols;
                int c1 = Math.min(q, end - row * cols);
                int o = k * ncols + j - j0 - c0;
                int d = yk + row * q;
                if (c1 > c0) {
                    if (accumulate) {
                        out.get(o + c0, line, c0, c1 - c0);
                        for (int i = c0; i < c1; i++) {
                            y[d + i] += line[i] + b;
                        }
                    } else {
                        out.get(o + c0, y, d + c0, c1 - c0);
                        if (b != 0f) {
                            for (int i = c0; i < c1; i++) {
                                y[d + i] += b;
                            }
                        }
                    }
                }
                j = (row + 1) * cols;
            }
        }
    }

    /**
     * Stride-1 im2col tile from the padded input {@code xp[n, c, hp, wp]} for flat output positions
     * {@code [j0, j0 + ncols)} (position {@code j} is output row {@code j / wp}, column {@code j % wp}):
     * row {@code (c, r, s)} is the slice of channel {@code c} that starts {@code r} rows and {@code s} columns
     * after {@code j0}.
     */
    private static void im2colPadded(ConvGeometry g, float[] xp, int n, int j0, int ncols, FloatBuffer col) {
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            int base = (n * g.c() + c) * hp * wp;
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    col.put(row * ncols, xp, base + r * wp + s + j0, ncols);
                    row++;
                }
            }
        }
    }

    /** General im2col tile: {@code col[(c,r,s), (i,j)] = x[n, c, (p0+i)·sh − ph + r, j·sw − pw + s]} or 0 outside. */
    private static void im2col(ConvGeometry g, float[] x, int n, int p0, int rows, FloatBuffer col, Scratch s) {
        int q = g.q(), h = g.h(), w = g.w();
        int ncols = rows * q;
        float[] line = s.line(ncols);
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            int base = (n * g.c() + c) * h * w;
            for (int r = 0; r < g.r(); r++) {
                for (int kw = 0; kw < g.s(); kw++) {
                    for (int i = 0; i < rows; i++) {
                        int ih = (p0 + i) * g.strideH() - g.padH() + r;
                        int o = i * q;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(line, o, o + q, 0f);
                            continue;
                        }
                        int src = base + ih * w;
                        for (int j = 0; j < q; j++) {
                            int iw = j * g.strideW() - g.padW() + kw;
                            line[o + j] = iw >= 0 && iw < w ? x[src + iw] : 0f;
                        }
                    }
                    col.put(row * ncols, line, 0, ncols);
                    row++;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Stride 1: sums of shifted matrix products, no im2col

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
    private static final int MIN_PLAN_CHANNELS = 8;

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
    record Plan(ConvGeometry g, boolean folded, int hp, int wp, int rowWidth, int span, int tileRows,
                int tilesPerImage, int groups, int inner) {

        /**
         * Stride 1 with enough input channels: below {@link #MIN_PLAN_CHANNELS} the products' inner dimension is
         * too thin and one im2col product per tile is faster.
         */
        static boolean applies(ConvGeometry g) {
            return g.strideH() == 1 && g.strideW() == 1 && g.c() >= MIN_PLAN_CHANNELS;
        }

        static Plan of(ConvGeometry g, boolean forWeights) {
            return of(g, forWeights, g.s() > 1 && g.q() < FOLD_BELOW_WIDTH);
        }

        static Plan of(ConvGeometry g, boolean forWeights, boolean folded) {
            int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
            int p = g.p(), q = g.q();
            int rowWidth = folded ? q : wp;
            int span = folded ? p * q : (p - 1) * wp + q;
            int inner = folded ? g.c() * g.s() : g.c();
            long small = SMALL_GEMM_MNK / ((long) g.k() * inner);
            int rows;
            if (small >= rowWidth) {
                // as many rows as OpenBLAS multiplies without packing
                rows = (int) Math.min(p, Math.min(small, forWeights ? WEIGHT_TILE_COLUMNS : Integer.MAX_VALUE) / rowWidth);
            } else {
                long target = Math.max(64, PACKED_TILE_FLOATS / g.k());
                rows = (int) Math.max(1, Math.min(p, (target + rowWidth / 2) / rowWidth));
            }
            rows = Math.max(1, rows);
            int tiles = ceilDiv(p, rows);
            rows = ceilDiv(p, tiles);
            return new Plan(g, folded, hp, wp, rowWidth, span, rows, tiles, folded ? g.r() : g.r() * g.s(), inner);
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
    }

    /** {@code y (+)= conv(x, wt) + bias} for a stride-1 geometry, {@code wt[k, c, r, s]} on the heap. */
    private void forwardShifted(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                                Scratch caller) {
        Plan plan = Plan.of(g, false);
        float[] staged = caller.heap2(g.weightSize());
        plan.stageWeights(wt, staged);
        caller.weights(g.weightSize()).put(0, staged, 0, g.weightSize());
        FloatPointer a = caller.weightsPtr;
        float[] xp = plan.folded() ? caller.paddedInput(g, x) : null;
        FloatPointer source = plan.folded() ? null : caller.paddedOffHeap(g, x);
        int k = g.k(), inner = plan.inner(), tiles = plan.tilesPerImage();
        // views with their own positions, so that threads do not share a pointer's position
        WorkerPool.current().forRange(g.n() * tiles, (chunk, from, to) -> {
            Scratch s = scratch.get();
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
                copyOut(g, s, n, plan.firstRow(t) * plan.rowWidth(), ncols, plan.rowWidth(), bias, y, accumulate);
            }
        });
    }

    /** {@code dw += x ⋆ dy} for a stride-1 geometry. */
    private void backwardWeightShifted(ConvGeometry g, float[] x, float[] dy, float[] dw, Scratch caller) {
        Plan plan = Plan.of(g, true);
        float[] xp = plan.folded() ? caller.paddedInput(g, x) : null;
        FloatPointer source = plan.folded() ? null : caller.paddedOffHeap(g, x);
        int k = g.k(), p = g.p(), q = g.q(), inner = plan.inner(), tiles = plan.tilesPerImage();
        int units = g.n() * tiles;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            Scratch s = scratch.get();
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
        plan.unstageWeights(sumPartials(partials, chunks, g.weightSize(), caller), dw);
    }

    /**
     * {@return the sum of the first {@code chunks} off-heap partials of {@code size} floats, added in chunk order} (in
     * parallel over ranges of elements, so the result does not depend on the thread count beyond the partials').
     */
    private float[] sumPartials(FloatPointer[] partials, int chunks, int size, Scratch caller) {
        float[] total = caller.heap2(size);
        partials[0].asBuffer().get(0, total, 0, size);
        if (chunks > 1) {
            WorkerPool.current().forRange(size, (chunk, from, to) -> {
                int block = Math.min(to - from, 1 << 14);
                float[] line = scratch.get().line(block);
                for (int start = from; start < to; start += block) {
                    int len = Math.min(block, to - start);
                    for (int c = 1; c < chunks; c++) {
                        partials[c].asBuffer().get(start, line, 0, len);
                        for (int i = 0; i < len; i++) {
                            total[start + i] += line[i];
                        }
                    }
                }
            });
        }
        return total;
    }

    // ---------------------------------------------------------------------------------------------
    // Stride 1 with few output channels: one product over all kernel offsets, then shifted sums

    /**
     * Rows of an output tile of the offsets plan are chosen so that {@code Z} holds about this many floats
     * (1 MiB): large enough that the {@code (r − 1)·wp + s − 1} extra positions it computes are a small part.
     */
    private static final int OFFSET_TILE_FLOATS = 1 << 18;

    /**
     * The plan for stride-1 convolutions with many input channels but few output channels (the V-Net's last 5×5
     * convolution, 32 → 1): the shifted plan's {@code r·s} products would each have a single row (matrix-vector
     * products, limited by memory). Instead one product per tile stacks every kernel offset:
     * {@code Z[(g, k), j] = A[(g, k), c] · xpad[c, j]} over the tile's positions extended by the largest offset
     * {@code (r − 1)·wp + s − 1}, then {@code y[k, j] = Σ_g Z[(g, k), j + offset(g)]} in Java. {@code A} is the
     * shifted plan's staged weights read as one matrix. The weight gradient is the same product turned around:
     * {@code dA[(g, k), c] = DY[(g, k), j] · xpad[c, j]ᵀ} with {@code DY[(g, k), j] = dy[k, j − offset(g)]}.
     *
     * @param plan     the shifted (unfolded) plan of the same geometry, for its positions and staged weight layout;
     *                 its own tiles are not used
     * @param tileRows output rows per tile
     * @param tiles    tiles per image
     * @param extra    positions past a tile that its products read, {@code (r − 1)·wp + s − 1}
     */
    record OffsetPlan(Plan plan, int tileRows, int tiles, int extra) {

        /** Stride 1, enough input channels for the products, fewer output channels than that. */
        static boolean applies(ConvGeometry g) {
            return g.strideH() == 1 && g.strideW() == 1 && g.c() >= MIN_PLAN_CHANNELS && g.k() < MIN_PLAN_CHANNELS;
        }

        static OffsetPlan of(ConvGeometry g) {
            Plan plan = Plan.of(g, false, false);
            int p = g.p(), wp = plan.wp(), groups = plan.groups();
            int rows = (int) Math.max(1, Math.min(p, OFFSET_TILE_FLOATS / ((long) groups * g.k() * wp)));
            int tiles = ceilDiv(p, rows);
            rows = ceilDiv(p, tiles);
            return new OffsetPlan(plan, rows, tiles, (g.r() - 1) * wp + g.s() - 1);
        }

        /** First flat position (over rows {@code wp} wide) of tile {@code t}. */
        int start(int t) {
            return t * tileRows * plan.wp();
        }

        /** Positions of tile {@code t}; the last tile ends at the last real column. */
        int columns(int t) {
            return Math.min(tileRows * plan.wp(), plan.span() - start(t));
        }

        /** Offset of kernel offset {@code group = r·s + s} in flat positions. */
        int offset(int group) {
            return group / plan.g().s() * plan.wp() + group % plan.g().s();
        }
    }

    /** {@code y (+)= conv(x, wt) + bias} by the offsets plan. */
    private void forwardOffsets(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                                Scratch caller) {
        OffsetPlan op = OffsetPlan.of(g);
        Plan plan = op.plan();
        float[] staged = caller.heap2(g.weightSize());
        plan.stageWeights(wt, staged);
        caller.weights(g.weightSize()).put(0, staged, 0, g.weightSize());
        FloatPointer a = caller.weightsPtr;
        FloatPointer source = caller.paddedOffHeap(g, x);
        int k = g.k(), c = g.c(), p = g.p(), q = g.q(), wp = plan.wp(), groups = plan.groups(), tiles = op.tiles();
        int gk = groups * k;
        WorkerPool.current().forRange(g.n() * tiles, (chunk, from, to) -> {
            Scratch s = scratch.get();
            FloatPointer b = new FloatPointer(source);
            for (int unit = from; unit < to; unit++) {
                int n = unit / tiles, t = unit % tiles;
                int j0 = op.start(t), ncols = op.columns(t), len = ncols + op.extra();
                FloatBuffer zBuf = s.out((long) gk * len);
                b.position((long) n * c * plan.hp() * wp + j0);
                // Z[(g, k), len] = A[(g, k), c] · xpad[c, j0 .. j0 + len)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, gk, len, c,
                        1f, a, c, b, plan.hp() * wp, 0f, s.outPtr, len);
                float[] z = s.heap((long) gk * len);
                zBuf.get(0, z, 0, gk * len);
                float[] line = s.line(q);
                for (int kk = 0; kk < k; kk++) {
                    float bk = bias == null ? 0f : bias[kk];
                    for (int j = j0, end = j0 + ncols; j < end; j += wp) {
                        int row = j / wp;
                        int cols = Math.min(q, end - j);
                        int d = ((n * k + kk) * p + row) * q;
                        // the output row summed in full over the kernel offsets, then written or added
                        Arrays.fill(line, 0, cols, bk);
                        for (int gr = 0; gr < groups; gr++) {
                            int zo = (gr * k + kk) * len + (j - j0) + op.offset(gr);
                            for (int i = 0; i < cols; i++) {
                                line[i] += z[zo + i];
                            }
                        }
                        if (accumulate) {
                            for (int i = 0; i < cols; i++) {
                                y[d + i] += line[i];
                            }
                        } else {
                            System.arraycopy(line, 0, y, d, cols);
                        }
                    }
                }
            }
        });
    }

    /** {@code dw += x ⋆ dy} by the offsets plan. */
    private void backwardWeightOffsets(ConvGeometry g, float[] x, float[] dy, float[] dw, Scratch caller) {
        OffsetPlan op = OffsetPlan.of(g);
        Plan plan = op.plan();
        FloatPointer source = caller.paddedOffHeap(g, x);
        int k = g.k(), c = g.c(), p = g.p(), q = g.q(), wp = plan.wp(), groups = plan.groups(), tiles = op.tiles();
        int gk = groups * k;
        int units = g.n() * tiles;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            Scratch s = scratch.get();
            FloatPointer b = new FloatPointer(source);
            for (int unit = from; unit < to; unit++) {
                int n = unit / tiles, t = unit % tiles;
                int j0 = op.start(t), ncols = op.columns(t), len = ncols + op.extra();
                // DY[(g, k), i] = dy[k, position j0 + i − offset(g)] where that is a real output position, else 0
                float[] shiftedDy = s.heap((long) gk * len);
                Arrays.fill(shiftedDy, 0, gk * len, 0f);
                for (int kk = 0; kk < k; kk++) {
                    for (int j = j0, end = j0 + ncols; j < end; j += wp) {
                        int row = j / wp;
                        int cols = Math.min(q, end - j);
                        int src = ((n * k + kk) * p + row) * q;
                        for (int gr = 0; gr < groups; gr++) {
                            System.arraycopy(dy, src, shiftedDy, (gr * k + kk) * len + (j - j0) + op.offset(gr), cols);
                        }
                    }
                }
                s.out((long) gk * len).put(0, shiftedDy, 0, gk * len);
                b.position((long) n * c * plan.hp() * wp + j0);
                // partial[(g, k), c] (+)= DY[(g, k), len] · xpad[c, j0 .. j0 + len)ᵀ
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, gk, c, len,
                        1f, s.outPtr, len, b, plan.hp() * wp, unit == from ? 0f : 1f, partials[chunk], c);
            }
        });
        plan.unstageWeights(sumPartials(partials, chunks, g.weightSize(), caller), dw);
    }

    // ---------------------------------------------------------------------------------------------
    // backwardInput: dy [n,k,p,q], wt [k,c,r,s] -> dx [n,c,h,w] (accumulated)

    @Override
    public void backwardInput(ConvGeometry g, float[] dy, float[] wt, float[] dx) {
        NaiveConvKernels.checkSizes(g, dx, "dx", g.inputSize(), wt, g.weightSize(), dy, "dy", g.outputSize());
        singleThreadedBlas();
        Scratch caller = scratch.get();
        if (g.strideH() == 1 && g.strideW() == 1 && g.padH() <= g.r() - 1 && g.padW() <= g.s() - 1) {
            // dx = conv(dy, W') with W'[c][k][r][s] = W[k][c][R-1-r][S-1-s], padding R-1-padH: a stride-1 forward
            ConvGeometry t = new ConvGeometry(g.n(), g.k(), g.p(), g.q(), g.c(), g.r(), g.s(), 1, 1,
                    g.r() - 1 - g.padH(), g.s() - 1 - g.padW());
            int rs = g.r() * g.s();
            float[] flipped = caller.heap3(g.weightSize());
            WorkerPool.current().forRange(g.c(), (chunk, c0, c1) -> {
                for (int c = c0; c < c1; c++) {
                    for (int k = 0; k < g.k(); k++) {
                        int from = (k * g.c() + c) * rs;
                        int to = (c * g.k() + k) * rs;
                        for (int i = 0; i < rs; i++) {
                            flipped[to + rs - 1 - i] = wt[from + i];
                        }
                    }
                }
            });
            forward(t, dy, flipped, null, dx, true);
            return;
        }
        caller.weights(g.weightSize()).put(0, wt, 0, g.weightSize());
        FloatPointer w = caller.weightsPtr;
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        int tileRows = tileColumns(p * q, q, false, g.k(), crs) / q;
        int tilesPerImage = ceilDiv(p, tileRows);
        // Tiles of one image may overlap in dx (kernel larger than stride), so an image is never split between threads.
        WorkerPool.current().forRange(g.n(), (chunk, from, to) -> {
            Scratch s = scratch.get();
            for (int n = from; n < to; n++) {
                for (int tile = 0; tile < tilesPerImage; tile++) {
                    int p0 = tile * tileRows;
                    int rows = Math.min(tileRows, p - p0);
                    int ncols = rows * q;
                    FloatBuffer dyTile = s.out((long) g.k() * ncols);
                    for (int k = 0; k < g.k(); k++) {
                        dyTile.put(k * ncols, dy, ((n * g.k() + k) * p + p0) * q, ncols);
                    }
                    s.col((long) crs * ncols);
                    // dcol[crs, ncols] = W^T · dy_tile
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, crs, ncols, g.k(),
                            1f, w, crs, s.outPtr, ncols, 0f, s.colPtr, ncols);
                    float[] dcol = s.heap((long) crs * ncols);
                    s.colBuf.get(0, dcol, 0, crs * ncols);
                    col2im(g, dcol, n, p0, rows, dx);
                }
            }
        });
    }

    /** Adds an im2col-shaped gradient tile back onto the input positions it was gathered from. */
    private static void col2im(ConvGeometry g, float[] dcol, int n, int p0, int rows, float[] dx) {
        int q = g.q(), h = g.h(), w = g.w();
        int ncols = rows * q;
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            int base = (n * g.c() + c) * h * w;
            for (int r = 0; r < g.r(); r++) {
                for (int s = 0; s < g.s(); s++) {
                    int o = row * ncols;
                    for (int i = 0; i < rows; i++) {
                        int ih = (p0 + i) * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        int dst = base + ih * w;
                        int oi = o + i * q;
                        for (int j = 0; j < q; j++) {
                            int iw = j * g.strideW() - g.padW() + s;
                            if (iw >= 0 && iw < w) {
                                dx[dst + iw] += dcol[oi + j];
                            }
                        }
                    }
                    row++;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // backwardWeight: x [n,c,h,w], dy [n,k,p,q] -> dw [k,c,r,s] (accumulated), dbias [k] or null (accumulated)

    @Override
    public void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        NaiveConvKernels.checkSizes(g, x, "x", g.inputSize(), dw, g.weightSize(), dy, "dy", g.outputSize());
        NaiveConvKernels.checkBias(g, dbias, "dbias");
        singleThreadedBlas();
        Scratch caller = scratch.get();
        if (OffsetPlan.applies(g)) {
            backwardWeightOffsets(g, x, dy, dw, caller);
        } else if (Plan.applies(g)) {
            backwardWeightShifted(g, x, dy, dw, caller);
        } else {
            backwardWeightIm2col(g, x, dy, dw, caller);
        }
        if (dbias != null) {
            int pq = g.p() * g.q();
            for (int k = 0; k < g.k(); k++) {
                float total = 0f;
                for (int n = 0; n < g.n(); n++) {
                    int base = (n * g.k() + k) * pq;
                    for (int i = 0; i < pq; i++) {
                        total += dy[base + i];
                    }
                }
                dbias[k] += total;
            }
        }
    }

    private void backwardWeightIm2col(ConvGeometry g, float[] x, float[] dy, float[] dw, Scratch caller) {
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        boolean padded = g.strideH() == 1 && g.strideW() == 1;
        int cols = padded ? g.w() + 2 * g.padW() : q;
        float[] src = padded ? caller.paddedInput(g, x) : x;
        int span = (p - 1) * cols + q;
        int tileCols = tileColumns(span, cols, padded, g.k(), crs);
        int tilesPerImage = ceilDiv(span, tileCols);
        int units = g.n() * tilesPerImage;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            Scratch s = scratch.get();
            FloatPointer partial = partials[chunk];
            for (int unit = from; unit < to; unit++) {
                int n = unit / tilesPerImage;
                int j0 = (unit % tilesPerImage) * tileCols;
                int ncols = Math.min(tileCols, span - j0);
                FloatBuffer col = s.col((long) crs * ncols);
                if (padded) {
                    im2colPadded(g, src, n, j0, ncols, col);
                } else {
                    im2col(g, x, n, j0 / q, ncols / q, col, s);
                }
                // dy tile [k, ncols]; in the padded layout the discarded columns must hold zeros
                FloatBuffer dyTile = s.out((long) g.k() * ncols);
                float[] line = s.line(ncols);
                for (int k = 0; k < g.k(); k++) {
                    int dyk = (n * g.k() + k) * p * q;
                    if (cols == q) {
                        dyTile.put(k * ncols, dy, dyk + j0, ncols);
                    } else {
                        Arrays.fill(line, 0, ncols, 0f);
                        for (int j = j0, end = j0 + ncols; j < end; ) {
                            int row = j / cols;
                            int c0 = j - row * cols;
                            int c1 = Math.min(q, end - row * cols);
                            if (c1 > c0) {
                                System.arraycopy(dy, dyk + row * q + c0, line, j - j0, c1 - c0);
                            }
                            j = (row + 1) * cols;
                        }
                        dyTile.put(k * ncols, line, 0, ncols);
                    }
                }
                // partial[k, crs] (+)= dy_tile · col^T
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g.k(), crs, ncols,
                        1f, s.outPtr, ncols, s.colPtr, ncols, unit == from ? 0f : 1f, partial, crs);
            }
        });
        float[] total = sumPartials(partials, chunks, g.weightSize(), caller);
        for (int i = 0; i < g.weightSize(); i++) {
            dw[i] += total[i];
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Columns per tile, out of {@code span} flat output positions in rows {@code cols} wide. Usually about
     * {@link #TILE_FLOATS} im2col floats but at least {@link #MIN_TILE_COLUMNS} columns. When the tile may start
     * anywhere ({@code anyStart}) and the product is small enough, tiles are cut so that {@code m × columns × crs}
     * stays within {@link #SMALL_GEMM_MNK}, where OpenBLAS multiplies without packing (about twice as fast for
     * 16 output channels). Otherwise tiles are whole rows. Evened out so that the tiles of an image have near-equal
     * sizes; depends only on the geometry, never on the thread count.
     */
    static int tileColumns(int span, int cols, boolean anyStart, int m, int crs) {
        long t = Math.max(TILE_FLOATS / crs, MIN_TILE_COLUMNS);
        long small = SMALL_GEMM_MNK / ((long) m * crs);
        if (anyStart && small >= MIN_SMALL_COLUMNS) {
            t = small;
        }
        t = Math.min(t, span);
        t = ceilDiv(span, ceilDiv(span, (int) t));
        if (!anyStart) {
            t = Math.min((long) ceilDiv((int) t, cols) * cols, (long) ceilDiv(span, cols) * cols);
        }
        return (int) t;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void singleThreadedBlas() {
        if (blas_get_num_threads() != 1) {
            blas_set_num_threads(1);
        }
    }

    /** One thread's reusable buffers; they only grow. */
    private static final class Scratch {
        FloatPointer colPtr;
        FloatBuffer colBuf;
        FloatPointer outPtr;
        FloatBuffer outBuf;
        FloatPointer weightsPtr;
        FloatBuffer weightsBuf;
        FloatPointer[] partials = new FloatPointer[0];
        float[] heap = new float[0];
        float[] heap2 = new float[0];
        float[] heap3 = new float[0];
        FloatPointer paddedPtr;
        FloatBuffer paddedBuf;
        float[] line = new float[0];
        float[] padded = new float[0];

        FloatBuffer col(long size) {
            if (colPtr == null || colPtr.capacity() < size) {
                free(colPtr);
                colPtr = allocate(size);
                colBuf = colPtr.asBuffer();
            }
            return colBuf;
        }

        FloatBuffer out(long size) {
            if (outPtr == null || outPtr.capacity() < size) {
                free(outPtr);
                outPtr = allocate(size);
                outBuf = outPtr.asBuffer();
            }
            return outBuf;
        }

        FloatBuffer weights(long size) {
            if (weightsPtr == null || weightsPtr.capacity() < size) {
                free(weightsPtr);
                weightsPtr = allocate(size);
                weightsBuf = weightsPtr.asBuffer();
            }
            return weightsBuf;
        }

        FloatPointer[] partials(int count, long size) {
            if (partials.length < count) {
                partials = Arrays.copyOf(partials, count);
            }
            for (int i = 0; i < count; i++) {
                if (partials[i] == null || partials[i].capacity() < size) {
                    free(partials[i]);
                    partials[i] = allocate(size);
                }
            }
            return partials;
        }

        float[] heap(long size) {
            if (heap.length < size) {
                heap = new float[checkedSize(size)];
            }
            return heap;
        }

        float[] heap2(long size) {
            if (heap2.length < size) {
                heap2 = new float[checkedSize(size)];
            }
            return heap2;
        }

        float[] heap3(long size) {
            if (heap3.length < size) {
                heap3 = new float[checkedSize(size)];
            }
            return heap3;
        }

        float[] line(int size) {
            if (line.length < size) {
                line = new float[size];
            }
            return line;
        }

        /**
         * {@code x} copied into {@code [n, c, h + 2·padH, w + 2·padW]} with zero borders, plus {@code s} spare
         * floats at the end: the last im2col slice of the last channel reads up to {@code s − 1} floats past it
         * (into columns that are discarded).
         */
        float[] paddedInput(ConvGeometry g, float[] x) {
            int ph = g.padH(), pw = g.padW();
            if (ph == 0 && pw == 0 && g.s() == 1) {
                return x;
            }
            int hp = g.h() + 2 * ph, wp = g.w() + 2 * pw;
            long size = (long) g.n() * g.c() * hp * wp + g.s();
            if (padded.length < size) {
                padded = new float[checkedSize(size)];
            }
            float[] xp = padded;
            int planes = g.n() * g.c();
            int h = g.h(), w = g.w();
            WorkerPool.current().forRange(planes, (chunk, from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    int dst = plane * hp * wp;
                    int src = plane * h * w;
                    Arrays.fill(xp, dst, dst + ph * wp, 0f);
                    for (int i = 0; i < h; i++) {
                        int d = dst + (ph + i) * wp;
                        Arrays.fill(xp, d, d + pw, 0f);
                        System.arraycopy(x, src + i * w, xp, d + pw, w);
                        Arrays.fill(xp, d + pw + w, d + wp, 0f);
                    }
                    Arrays.fill(xp, dst + (ph + h) * wp, dst + hp * wp, 0f);
                }
            });
            Arrays.fill(xp, planes * hp * wp, (int) size, 0f);
            return xp;
        }

        /** {@code x} copied into off-heap {@code [n, c, h + 2·padH, w + 2·padW]} with zero borders. */
        FloatPointer paddedOffHeap(ConvGeometry g, float[] x) {
            int ph = g.padH(), pw = g.padW();
            int hp = g.h() + 2 * ph, wp = g.w() + 2 * pw;
            long size = (long) g.n() * g.c() * hp * wp;
            checkedSize(size);
            if (paddedPtr == null || paddedPtr.capacity() < size) {
                free(paddedPtr);
                paddedPtr = allocate(size);
                paddedBuf = paddedPtr.asBuffer();
            }
            FloatBuffer xp = paddedBuf;
            int planes = g.n() * g.c();
            int h = g.h(), w = g.w();
            WorkerPool.current().forRange(planes, (chunk, from, to) -> {
                float[] line = new float[wp];
                for (int plane = from; plane < to; plane++) {
                    int dst = plane * hp * wp;
                    int src = plane * h * w;
                    Arrays.fill(line, 0f);
                    for (int i = 0; i < ph; i++) {
                        xp.put(dst + i * wp, line, 0, wp);
                        xp.put(dst + (ph + h + i) * wp, line, 0, wp);
                    }
                    for (int i = 0; i < h; i++) {
                        System.arraycopy(x, src + i * w, line, pw, w);
                        xp.put(dst + (ph + i) * wp, line, 0, wp);
                    }
                }
            });
            return paddedPtr;
        }

        private static int checkedSize(long size) {
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("conv2d: scratch of " + size + " floats exceeds the largest Java array");
            }
            return (int) size;
        }

        private static FloatPointer allocate(long size) {
            long n = Math.max(size, 1024);
            FloatPointer p = new FloatPointer(n + n / 4);
            p.zero();
            return p;
        }

        private static void free(FloatPointer p) {
            if (p != null) {
                p.deallocate();
            }
        }
    }
}
