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
 * The im2col plan of {@link GemmConvKernels}: every geometry (the stride-2 down and up convolutions, and stride 1
 * with fewer than 8 input channels) as one matrix product per tile of im2col columns, and the input gradient of any
 * geometry but stride 1 through col2im.
 */
final class Im2colConv {
    /** Target size of an im2col tile in floats (1 MiB): fits the per-core L2 cache of current x86 CPUs. */
    private static final long TILE_FLOATS = 1L << 18;
    /** Minimum number of columns of a tile, so that BLAS packs the weight matrix for enough work. */
    private static final int MIN_TILE_COLUMNS = 512;
    /** Below this many columns a tile is too thin for the unpacked kernel to pay off. */
    private static final int MIN_SMALL_COLUMNS = 96;

    private Im2colConv() {}

    /**
     * {@code y (+)= conv(x, W) + bias} with {@code W[k, c·r·s]} already off-heap, by im2col tiles
     * (any geometry; used for strides other than 1).
     */
    static void forward(ConvGeometry g, float[] x, FloatPointer w, float[] bias, float[] y,
                                    boolean accumulate, GemmScratch caller) {
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        boolean padded = g.strideH() == 1 && g.strideW() == 1;
        int cols = padded ? g.w() + 2 * g.padW() : q;
        float[] src = padded ? caller.paddedInput(g, x) : x;
        int span = (p - 1) * cols + q;
        int tileCols = tileColumns(span, cols, padded, g.k(), crs);
        int tilesPerImage = GemmConvKernels.ceilDiv(span, tileCols);
        WorkerPool.current().forRange(g.n() * tilesPerImage, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
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
    static void copyOut(ConvGeometry g, GemmScratch s, int n, int j0, int ncols, int cols, float[] bias,
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
    private static void im2col(ConvGeometry g, float[] x, int n, int p0, int rows, FloatBuffer col, GemmScratch s) {
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

    /** {@code dx += convᵀ(dy, wt)} by im2col tiles and col2im, any geometry. */
    static void backwardInput(ConvGeometry g, float[] dy, float[] wt, float[] dx, GemmScratch caller) {
        caller.weights(g.weightSize()).put(0, wt, 0, g.weightSize());
        FloatPointer w = caller.weightsPtr;
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        int tileRows = tileColumns(p * q, q, false, g.k(), crs) / q;
        int tilesPerImage = GemmConvKernels.ceilDiv(p, tileRows);
        // Tiles of one image may overlap in dx (kernel larger than stride), so an image is never split between threads.
        WorkerPool.current().forRange(g.n(), (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
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

    /** {@code dw += x ⋆ dy} by im2col tiles, any geometry. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, GemmScratch caller) {
        int p = g.p(), q = g.q();
        int crs = g.c() * g.r() * g.s();
        boolean padded = g.strideH() == 1 && g.strideW() == 1;
        int cols = padded ? g.w() + 2 * g.padW() : q;
        float[] src = padded ? caller.paddedInput(g, x) : x;
        int span = (p - 1) * cols + q;
        int tileCols = tileColumns(span, cols, padded, g.k(), crs);
        int tilesPerImage = GemmConvKernels.ceilDiv(span, tileCols);
        int units = g.n() * tilesPerImage;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
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
        float[] total = GemmConvKernels.sumPartials(partials, chunks, g.weightSize(), caller);
        for (int i = 0; i < g.weightSize(); i++) {
            dw[i] += total[i];
        }
    }

    /**
     * Columns per tile, out of {@code span} flat output positions in rows {@code cols} wide. Usually about
     * {@link #TILE_FLOATS} im2col floats but at least {@link #MIN_TILE_COLUMNS} columns. When the tile may start
     * anywhere ({@code anyStart}) and the product is small enough, tiles are cut so that {@code m × columns × crs}
     * stays within {@link GemmConvKernels#SMALL_GEMM_MNK}, where OpenBLAS multiplies without packing (about twice as fast for
     * 16 output channels). Otherwise tiles are whole rows. Evened out so that the tiles of an image have near-equal
     * sizes; depends only on the geometry, never on the thread count.
     */
    static int tileColumns(int span, int cols, boolean anyStart, int m, int crs) {
        long t = Math.max(TILE_FLOATS / crs, MIN_TILE_COLUMNS);
        long small = GemmConvKernels.SMALL_GEMM_MNK / ((long) m * crs);
        if (anyStart && small >= MIN_SMALL_COLUMNS) {
            t = small;
        }
        t = Math.min(t, span);
        t = GemmConvKernels.ceilDiv(span, GemmConvKernels.ceilDiv(span, (int) t));
        if (!anyStart) {
            t = Math.min((long) GemmConvKernels.ceilDiv((int) t, cols) * cols, (long) GemmConvKernels.ceilDiv(span, cols) * cols);
        }
        return (int) t;
    }
}
