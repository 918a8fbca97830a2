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
record OffsetPlan(ShiftedPlan plan, int tileRows, int tiles, int extra) {

    /** Stride 1, enough input channels for the products, fewer output channels than that. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.c() >= ShiftedPlan.MIN_PLAN_CHANNELS && g.k() < ShiftedPlan.MIN_PLAN_CHANNELS;
    }

    static OffsetPlan of(ConvGeometry g) {
        ShiftedPlan plan = ShiftedPlan.of(g, false, false);
        int p = g.p(), wp = plan.wp(), groups = plan.groups();
        int rows = (int) Math.max(1, Math.min(p, OFFSET_TILE_FLOATS / ((long) groups * g.k() * wp)));
        int tiles = GemmConvKernels.ceilDiv(p, rows);
        rows = GemmConvKernels.ceilDiv(p, tiles);
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

    /**
     * Rows of an output tile of the offsets plan are chosen so that {@code Z} holds about this many floats
     * (1 MiB): large enough that the {@code (r − 1)·wp + s − 1} extra positions it computes are a small part.
     */
    private static final int OFFSET_TILE_FLOATS = 1 << 18;

    /** {@code y (+)= conv(x, wt) + bias} by the offsets plan. */
    static void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                        GemmScratch caller) {
        OffsetPlan op = OffsetPlan.of(g);
        ShiftedPlan plan = op.plan();
        float[] staged = caller.heap2(g.weightSize());
        plan.stageWeights(wt, staged);
        caller.weights(g.weightSize()).put(0, staged, 0, g.weightSize());
        FloatPointer a = caller.weightsPtr;
        FloatPointer source = caller.paddedOffHeap(g, x);
        int k = g.k(), c = g.c(), p = g.p(), q = g.q(), wp = plan.wp(), groups = plan.groups(), tiles = op.tiles();
        int gk = groups * k;
        WorkerPool.current().forRange(g.n() * tiles, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
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
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, GemmScratch caller) {
        OffsetPlan op = OffsetPlan.of(g);
        ShiftedPlan plan = op.plan();
        FloatPointer source = caller.paddedOffHeap(g, x);
        int k = g.k(), c = g.c(), p = g.p(), q = g.q(), wp = plan.wp(), groups = plan.groups(), tiles = op.tiles();
        int gk = groups * k;
        int units = g.n() * tiles;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, g.weightSize());
        pool.forRange(units, (chunk, from, to) -> {
            GemmScratch s = GemmScratch.get();
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
        plan.unstageWeights(GemmConvKernels.sumPartials(partials, chunks, g.weightSize(), caller), dw);
    }
}
