package dev.vnet.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.vnet.parallel.WorkerPool;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Stride-1 5×5 convolutions by Winograd's minimal filtering F(2×2, 5×5): each 2×2 output tile comes from a 6×6
 * input tile with 36 multiplications per (input, output) channel pair instead of the direct method's 100.
 *
 * <h2>The algorithm</h2>
 * {@code Y = Aᵀ [ Σ_c (G g_kc Gᵀ) ⊙ (Bᵀ d_c B) ] A} per output channel {@code k} and tile, with {@code d_c} the 6×6
 * input tile of channel {@code c} and {@code g_kc} the 5×5 filter. The sum over {@code c} of the element-wise
 * products is, for each of the 36 positions {@code ξ} of the 6×6 transformed tile, one matrix product
 * {@code M_ξ[k, tile] = U_ξ[k, c] · V_ξ[c, tile]} with {@code U = G g Gᵀ} and {@code V = Bᵀ d B}: 36 {@code sgemm}
 * calls per block of tiles. The matrices (interpolation points 0, −1, 1, −2, 2 and ∞):
 * <pre>
 *      [ 1  1  1  1  1  0 ]         [  1/4     0     0     0     0 ]        [ 4  0 -5  0  1  0 ]
 * Aᵀ = [ 0 -1  1 -2  2  1 ]         [ -1/6   1/6  -1/6   1/6  -1/6 ]        [ 0  4 -4 -1  1  0 ]
 *                              G =  [  1/6   1/6   1/6   1/6   1/6 ]   Bᵀ = [ 0  4  4 -1 -1  0 ]
 *                                   [ 1/24 -1/12   1/6  -1/3   2/3 ]        [ 0  2 -1 -2  1  0 ]
 *                                   [-1/24 -1/12  -1/6  -1/3  -2/3 ]        [ 0  2  1 -2 -1  0 ]
 *                                   [   0     0     0     0     1  ]        [ 0  4  0 -5  0  1 ]
 * </pre>
 * They are the Cook–Toom construction of Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR
 * 2016), derived and checked in exact arithmetic by {@code tools/fixtures/winograd_matrices.py}: with {@code V} the
 * Vandermonde matrix of the six points, {@code Aᵀ} is its first two columns transposed, {@code G} its first five
 * columns, {@code Bᵀ = V⁻ᵀ}, each row of {@code Bᵀ} scaled to integers and the row of {@code G} by the inverse.
 * The same script measures the float32 error of the whole 2D algorithm over 64 channels: 5.8·10⁻⁶ of the largest
 * output with these points, 5.3·10⁻⁶ with 0, ±1, ±½ and 2.8·10⁻⁶ with 0, ±1, −2, ½ — all far below the 10⁻⁴ of the
 * PyTorch parity tests, so the symmetric points are kept: their pairs ±a let the transforms share sums
 * ({@link #inputRow}, {@link #outputRow}). The weight transform runs in double precision on every call (the weights
 * change during training); the input and output transforms in float.
 *
 * <h2>Blocks and threads</h2>
 * An image's tiles ({@code ⌈p/2⌉ × ⌈q/2⌉}; the last row and column of tiles may reach past the output, and read
 * zeros past the padded input) are cut into blocks of whole tile rows, about {@link #BLOCK_TILES} tiles each. Work
 * is split over (image, block) units with {@link WorkerPool}; a unit transforms its input tiles (a row transform
 * of each padded input row, shared by the two tile rows that read it, then the column transform), runs the 36
 * products and transforms the outputs into {@code y}. Blocks depend on the geometry only, and every output is
 * written by one unit from the same calls, so results are bit-identical for every thread count. Each thread's
 * buffers ({@link Scratch}) grow as needed and are reused across calls.
 *
 * <h2>When it applies</h2>
 * Stride 1, a 5×5 kernel, at least {@link #MIN_CHANNELS} input and output channels, and the system property
 * {@value #PROPERTY} not {@code false} (read on every call, so one process can time both plans). The shifted plans
 * ({@link ShiftedPlan}, {@link OffsetPlan}) remain the fallback.
 */
final class WinogradPlan {

    /** System property; {@code false} turns this plan off (default {@code true}). */
    static final String PROPERTY = "vnet.conv.winograd";
    /** Fewer input or output channels: the transforms cost more than the products save. */
    static final int MIN_CHANNELS = 16;
    /** Tiles per block, before rounding to whole tile rows. */
    static final int BLOCK_TILES = 256;

    /** The filter transform G (6×5) of the class comment. */
    private static final double[][] G = {
            {1.0 / 4, 0, 0, 0, 0},
            {-1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6},
            {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6},
            {1.0 / 24, -1.0 / 12, 1.0 / 6, -1.0 / 3, 2.0 / 3},
            {-1.0 / 24, -1.0 / 12, -1.0 / 6, -1.0 / 3, -2.0 / 3},
            {0, 0, 0, 0, 1}};

    private final ConvGeometry g;
    private final int tilesH, tilesW, blockRows, blocksPerImage;

    private WinogradPlan(ConvGeometry g) {
        this.g = g;
        this.tilesH = GemmConvKernels.ceilDiv(g.p(), 2);
        this.tilesW = GemmConvKernels.ceilDiv(g.q(), 2);
        int rows = Math.max(1, Math.min(tilesH, BLOCK_TILES / tilesW));
        this.blocksPerImage = GemmConvKernels.ceilDiv(tilesH, rows);
        this.blockRows = GemmConvKernels.ceilDiv(tilesH, blocksPerImage);
    }

    /** {@return whether the property leaves this plan on} */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** Stride 1, 5×5, enough channels on both sides, and not turned off. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && g.r() == 5 && g.s() == 5
                && g.c() >= MIN_CHANNELS && g.k() >= MIN_CHANNELS && enabled();
    }

    /** {@code y (+)= conv(x, wt) + bias} for a stride-1 5×5 geometry, {@code wt[k, c, 5, 5]} on the heap. */
    static void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                        GemmScratch caller) {
        WinogradPlan plan = new WinogradPlan(g);
        int k = g.k(), c = g.c();
        long kc = (long) k * c;
        float[] u = caller.heap2(36 * kc);
        transformWeights(g, wt, u);
        caller.weights(36 * kc).put(0, u, 0, (int) (36 * kc));
        FloatPointer weights = caller.weightsPtr;
        int blocks = plan.blocksPerImage;
        WorkerPool.current().forRange(g.n() * blocks, (chunk, from, to) -> {
            Scratch s = Scratch.get();
            FloatPointer a = new FloatPointer(weights);
            for (int unit = from; unit < to; unit++) {
                plan.run(unit / blocks, unit % blocks, x, a, bias, y, accumulate, s);
            }
        });
    }

    /**
     * {@code u[ξ, k, c] = (G wt[k, c] Gᵀ)[ξ]}, in double precision, in parallel over output channels.
     */
    static void transformWeights(ConvGeometry g, float[] wt, float[] u) {
        int k = g.k(), c = g.c();
        WorkerPool.current().forRange(k, (chunk, k0, k1) -> {
            double[] gw = new double[30];
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int base = (kk * c + cc) * 25;
                    // gw = G · w  (6×5)
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 5; j++) {
                            double sum = 0;
                            for (int l = 0; l < 5; l++) {
                                sum += G[i][l] * wt[base + l * 5 + j];
                            }
                            gw[i * 5 + j] = sum;
                        }
                    }
                    // (G · w) · Gᵀ  (6×6)
                    for (int i = 0; i < 6; i++) {
                        for (int j = 0; j < 6; j++) {
                            double sum = 0;
                            for (int l = 0; l < 5; l++) {
                                sum += gw[i * 5 + l] * G[j][l];
                            }
                            u[((i * 6 + j) * k + kk) * c + cc] = (float) sum;
                        }
                    }
                }
            }
        });
    }

    /** One unit: image {@code n}, tile rows of block {@code b}. */
    private void run(int n, int b, float[] x, FloatPointer weights, float[] bias, float[] y, boolean accumulate,
                     Scratch s) {
        int c = g.c(), k = g.k();
        int ty0 = b * blockRows, rows = Math.min(blockRows, tilesH - ty0);
        int tiles = rows * tilesW;
        long cT = (long) c * tiles, kT = (long) k * tiles;
        float[] v = s.heap(Scratch.IN, 36 * cT);
        transformInput(n, ty0, rows, x, v, s);
        FloatPointer in = new FloatPointer(s.offHeap(Scratch.IN, 36 * cT));
        s.offHeapBuffer(Scratch.IN).put(0, v, 0, (int) (36 * cT));
        FloatPointer out = new FloatPointer(s.offHeap(Scratch.OUT, 36 * kT));
        for (int xi = 0; xi < 36; xi++) {
            weights.position(xi * (long) k * c);
            in.position(xi * cT);
            out.position(xi * kT);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, tiles, c,
                    1f, weights, c, in, tiles, 0f, out, tiles);
        }
        float[] m = s.heap(Scratch.OUT, 36 * kT);
        s.offHeapBuffer(Scratch.OUT).get(0, m, 0, (int) (36 * kT));
        transformOutput(n, ty0, rows, m, bias, y, accumulate, s);
    }

    /**
     * {@code v[ξ, c, t] = (Bᵀ d B)[ξ]} for the tiles {@code t} of tile rows {@code [ty0, ty0 + rows)} of image
     * {@code n}: per channel, the row transform of each of the {@code 2·rows + 4} padded input rows, then the
     * column transform of each tile row.
     */
    private void transformInput(int n, int ty0, int rows, float[] x, float[] v, Scratch s) {
        int c = g.c(), h = g.h(), w = g.w(), padH = g.padH(), padW = g.padW();
        int tw = tilesW, paddedRows = 2 * rows + 4, wp = 2 * tw + 4;
        int tiles = rows * tw;
        float[] line = s.heap(Scratch.LINE, wp);
        float[] even = s.heap(Scratch.EVEN, tw + 2), odd = s.heap(Scratch.ODD, tw + 2);
        float[] rowT = s.heap(Scratch.ROWS, paddedRows * 6L * tw);
        for (int cc = 0; cc < c; cc++) {
            int plane = (n * c + cc) * h * w;
            for (int pr = 0; pr < paddedRows; pr++) {
                int ir = 2 * ty0 + pr - padH;
                int dst = pr * 6 * tw;
                if (ir < 0 || ir >= h) {
                    Arrays.fill(rowT, dst, dst + 6 * tw, 0f);
                    continue;
                }
                // the padded row: zeros, the input row at padW, zeros up to the last tile's reach
                int copy = Math.min(w, wp - padW);
                Arrays.fill(line, 0, padW, 0f);
                System.arraycopy(x, plane + ir * w, line, padW, copy);
                Arrays.fill(line, padW + copy, wp, 0f);
                for (int u = 0; u < tw + 2; u++) {
                    even[u] = line[2 * u];
                    odd[u] = line[2 * u + 1];
                }
                inputRow(even, odd, rowT, dst, tw);
            }
            // column transform: tile row ty reads padded rows 2(ty - ty0) .. + 5
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < 6; j++) {
                    int src = (2 * r * 6 + j) * tw;
                    int dst = cc * tiles + r * tw;
                    inputColumn(rowT, src, 6 * tw, j, v, dst, (long) c * tiles, tw);
                }
            }
        }
    }

    /**
     * The row transform {@code Bᵀ d} of one padded row along its columns, for every tile: tile {@code t} reads
     * columns {@code 2t .. 2t + 5}, i.e. {@code even[t], odd[t], even[t+1], odd[t+1], even[t+2], odd[t+2]}; writes
     * {@code out[at + i·tw + t]} for the six outputs {@code i}.
     */
    private static void inputRow(float[] even, float[] odd, float[] out, int at, int tw) {
        for (int t = 0; t < tw; t++) {
            float d0 = even[t], d1 = odd[t], d2 = even[t + 1], d3 = odd[t + 1], d4 = even[t + 2], d5 = odd[t + 2];
            float a = d4 - 4f * d2, b = 4f * d1 - d3;
            float e = d4 - d2, f = 2f * (d1 - d3);
            out[at + t] = 4f * d0 - 5f * d2 + d4;
            out[at + tw + t] = b + a;
            out[at + 2 * tw + t] = b - a;
            out[at + 3 * tw + t] = f + e;
            out[at + 4 * tw + t] = f - e;
            out[at + 5 * tw + t] = 4f * d1 - 5f * d3 + d5;
        }
    }

    /**
     * The column transform: the six row-transformed rows at {@code src + l·stride} ({@code l = 0..5}), output
     * {@code j} of the row transform, give {@code v[(i·6 + j)·plane + dst + t]} for the six outputs {@code i}.
     */
    private static void inputColumn(float[] rowT, int src, int stride, int j, float[] v, int dst, long plane,
                                    int tw) {
        long p = plane;
        int o0 = (int) (j * p) + dst, o1 = (int) ((6 + j) * p) + dst, o2 = (int) ((12 + j) * p) + dst;
        int o3 = (int) ((18 + j) * p) + dst, o4 = (int) ((24 + j) * p) + dst, o5 = (int) ((30 + j) * p) + dst;
        int s0 = src, s1 = src + stride, s2 = src + 2 * stride, s3 = src + 3 * stride, s4 = src + 4 * stride,
                s5 = src + 5 * stride;
        for (int t = 0; t < tw; t++) {
            float d0 = rowT[s0 + t], d1 = rowT[s1 + t], d2 = rowT[s2 + t], d3 = rowT[s3 + t], d4 = rowT[s4 + t],
                    d5 = rowT[s5 + t];
            float a = d4 - 4f * d2, b = 4f * d1 - d3;
            float e = d4 - d2, f = 2f * (d1 - d3);
            v[o0 + t] = 4f * d0 - 5f * d2 + d4;
            v[o1 + t] = b + a;
            v[o2 + t] = b - a;
            v[o3 + t] = f + e;
            v[o4 + t] = f - e;
            v[o5 + t] = 4f * d1 - 5f * d3 + d5;
        }
    }

    /**
     * {@code y[n, k, 2ty .. 2ty + 1, 2tx .. 2tx + 1] (+)= (Aᵀ M A) + bias} for the block's tiles, from
     * {@code m[ξ, k, t]}; outputs past {@code p} or {@code q} (the last tile row or column) are dropped.
     */
    private void transformOutput(int n, int ty0, int rows, float[] m, float[] bias, float[] y, boolean accumulate,
                                 Scratch s) {
        int k = g.k(), p = g.p(), q = g.q(), tw = tilesW;
        int tiles = rows * tw;
        int plane = k * tiles;
        float[] colT = s.heap(Scratch.COLUMNS, 12L * tw);
        float[] y00 = s.heap(Scratch.Y00, tw), y01 = s.heap(Scratch.Y01, tw);
        float[] y10 = s.heap(Scratch.Y10, tw), y11 = s.heap(Scratch.Y11, tw);
        for (int kk = 0; kk < k; kk++) {
            float b = bias == null ? 0f : bias[kk];
            int yk = (n * k + kk) * p * q;
            for (int r = 0; r < rows; r++) {
                int t0 = kk * tiles + r * tw;
                // along the columns of the 6×6 tile: row i gives colT[i·tw + t] (output column 0) and
                // colT[(6 + i)·tw + t] (output column 1)
                for (int i = 0; i < 6; i++) {
                    outputRow(m, t0 + i * 6 * plane, plane, colT, i * tw, (6 + i) * tw, tw);
                }
                // along the rows
                outputColumn(colT, 0, tw, y00, y10);
                outputColumn(colT, 6 * tw, tw, y01, y11);
                int row0 = 2 * (ty0 + r);
                store(y, yk + row0 * q, q, y00, y01, b, accumulate, tw);
                if (row0 + 1 < p) {
                    store(y, yk + (row0 + 1) * q, q, y10, y11, b, accumulate, tw);
                }
            }
        }
    }

    /** {@code Aᵀ} along one row of the 6×6 product tile, whose six entries lie {@code plane} apart. */
    private static void outputRow(float[] m, int src, int plane, float[] out, int at0, int at1, int tw) {
        int s0 = src, s1 = src + plane, s2 = src + 2 * plane, s3 = src + 3 * plane, s4 = src + 4 * plane,
                s5 = src + 5 * plane;
        for (int t = 0; t < tw; t++) {
            float m0 = m[s0 + t], m1 = m[s1 + t], m2 = m[s2 + t], m3 = m[s3 + t], m4 = m[s4 + t], m5 = m[s5 + t];
            out[at0 + t] = m0 + (m1 + m2) + (m3 + m4);
            out[at1 + t] = (m2 - m1) + 2f * (m4 - m3) + m5;
        }
    }

    /** {@code Aᵀ} along the six column-transformed rows at {@code at + i·tw}: output rows 0 and 1. */
    private static void outputColumn(float[] colT, int at, int tw, float[] top, float[] bottom) {
        for (int t = 0; t < tw; t++) {
            float m0 = colT[at + t], m1 = colT[at + tw + t], m2 = colT[at + 2 * tw + t], m3 = colT[at + 3 * tw + t],
                    m4 = colT[at + 4 * tw + t], m5 = colT[at + 5 * tw + t];
            top[t] = m0 + (m1 + m2) + (m3 + m4);
            bottom[t] = (m2 - m1) + 2f * (m4 - m3) + m5;
        }
    }

    /** One output row from the tiles' left and right columns, the last column dropped when {@code q} is odd. */
    private static void store(float[] y, int at, int q, float[] left, float[] right, float b, boolean accumulate,
                              int tw) {
        int pairs = q / 2;
        if (accumulate) {
            for (int t = 0; t < pairs; t++) {
                y[at + 2 * t] += left[t] + b;
                y[at + 2 * t + 1] += right[t] + b;
            }
            if (q % 2 != 0) {
                y[at + q - 1] += left[tw - 1] + b;
            }
        } else {
            for (int t = 0; t < pairs; t++) {
                y[at + 2 * t] = left[t] + b;
                y[at + 2 * t + 1] = right[t] + b;
            }
            if (q % 2 != 0) {
                y[at + q - 1] = left[tw - 1] + b;
            }
        }
    }

    /** One thread's buffers of this plan, by slot; they only grow. */
    static final class Scratch {
        static final int IN = 0, OUT = 1, ROWS = 2, COLUMNS = 3, LINE = 4, EVEN = 5, ODD = 6, Y00 = 7, Y01 = 8,
                Y10 = 9, Y11 = 10;
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

        private final float[][] heap = new float[11][0];
        /** Off-heap copies of the transformed inputs (slot {@link #IN}) and of the products (slot {@link #OUT}). */
        private final FloatPointer[] offHeap = new FloatPointer[2];
        private final FloatBuffer[] offHeapBuf = new FloatBuffer[2];

        static Scratch get() {
            return OF_THREAD.get();
        }

        /** {@return the heap buffer of {@code slot}, at least {@code size} floats} */
        float[] heap(int slot, long size) {
            if (heap[slot].length < size) {
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("conv2d: Winograd scratch of " + size
                            + " floats exceeds the largest Java array");
                }
                heap[slot] = new float[(int) size];
            }
            return heap[slot];
        }

        /** {@return the off-heap buffer {@link #IN} or {@link #OUT}, at least {@code size} floats} */
        FloatPointer offHeap(int slot, long size) {
            if (offHeap[slot] == null || offHeap[slot].capacity() < size) {
                if (offHeap[slot] != null) {
                    offHeap[slot].deallocate();
                }
                offHeap[slot] = GemmScratch.allocate(size);
                offHeapBuf[slot] = offHeap[slot].asBuffer();
            }
            return offHeap[slot];
        }

        /** {@return a buffer over {@link #offHeap}'s memory} */
        FloatBuffer offHeapBuffer(int slot) {
            return offHeapBuf[slot];
        }
    }
}
