package dev.vnet.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import dev.vnet.parallel.WorkerPool;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Stride-1 5×5 convolutions by Winograd's minimal filtering F(m×m, 5×5): each m×m output tile comes from an
 * α×α input tile, {@code α = m + 4}, with α² multiplications per (input, output) channel pair instead of the direct
 * method's 25·m². Two sizes: F(2×2, 5×5) (α = 6, 36 products for 4 outputs) and F(4×4, 5×5) (α = 8, 64 products
 * for 16 outputs, 2.5× fewer than F(2×2)'s 9 per output, and 4 transformed values per output instead of 9).
 *
 * <h2>The algorithm</h2>
 * {@code Y = Aᵀ [ Σ_c (G g_kc Gᵀ) ⊙ (Bᵀ d_c B) ] A} per output channel {@code k} and tile, with {@code d_c} the
 * α×α input tile of channel {@code c} and {@code g_kc} the 5×5 filter. The sum over {@code c} of the element-wise
 * products is, for each of the α² positions {@code ξ} of the transformed tile, one matrix product
 * {@code M_ξ[k, tile] = U_ξ[k, c] · V_ξ[c, tile]} with {@code U = G g Gᵀ} and {@code V = Bᵀ d B}: α² {@code sgemm}
 * calls per block of tiles. F(2×2, 5×5), interpolation points 0, −1, 1, −2, 2 and ∞:
 * <pre>
 *      [ 1  1  1  1  1  0 ]         [  1/4     0     0     0     0 ]        [ 4  0 -5  0  1  0 ]
 * Aᵀ = [ 0 -1  1 -2  2  1 ]         [ -1/6   1/6  -1/6   1/6  -1/6 ]        [ 0  4 -4 -1  1  0 ]
 *                              G =  [  1/6   1/6   1/6   1/6   1/6 ]   Bᵀ = [ 0  4  4 -1 -1  0 ]
 *                                   [ 1/24 -1/12   1/6  -1/3   2/3 ]        [ 0  2 -1 -2  1  0 ]
 *                                   [-1/24 -1/12  -1/6  -1/3  -2/3 ]        [ 0  2  1 -2 -1  0 ]
 *                                   [   0     0     0     0     1  ]        [ 0  4  0 -5  0  1 ]
 * </pre>
 * F(4×4, 5×5), points 0, −1, 1, −2, 2, −½, ½ and ∞ ({@link #F4} lists {@code Aᵀ} and {@code G}):
 * <pre>
 *      [ 4  0 -21   0  21  0 -4  0 ]
 *      [ 0  4  -4 -17  17  4 -4  0 ]
 *      [ 0  4   4 -17 -17  4  4  0 ]
 * Bᵀ = [ 0  2  -1 -10   5  8 -4  0 ]
 *      [ 0  2   1 -10  -5  8  4  0 ]
 *      [ 0  4  -8  -5  10  1 -2  0 ]
 *      [ 0  4   8  -5 -10  1  2  0 ]
 *      [ 0  4   0 -21   0 21  0 -4 ]
 * </pre>
 * They are the Cook–Toom construction of Lavin &amp; Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR
 * 2016), derived and checked in exact arithmetic by {@code tools/fixtures/winograd_matrices.py} (which also prints
 * them as the Java initialisers below): with {@code V} the Vandermonde matrix of the α points, {@code Aᵀ} is its
 * first m columns transposed, {@code G} its first five columns, {@code Bᵀ = V⁻ᵀ}, each row of {@code Bᵀ} scaled to
 * the smallest integers and the row of {@code G} by the inverse. The same script measures the float32 error of the
 * whole 2D algorithm summed over 64 channels, as a fraction of the largest output: F(2×2) 5.8·10⁻⁶ with the points
 * above, 5.3·10⁻⁶ with 0, ±1, ±½, 2.8·10⁻⁶ with 0, ±1, −2, ½; F(4×4) 7.0·10⁻⁶ with the points above, 1.3·10⁻⁴
 * with 0, ±1, ±½, −2, ¼, 8.4·10⁻⁴ with 0, ±1, ±2, ±3. The symmetric points are kept for both (all far below the
 * 10⁻⁴ of the PyTorch parity tests); their pairs ±a also halve the work of the transforms ({@link RowPairs},
 * {@link ColumnPairs}). The weight transform runs in double precision on every call (the weights change during
 * training); the input and output transforms in float, their row arithmetic on the Vector API where the JVM has
 * the module ({@link TransformRows}).
 *
 * <h2>The weight gradient</h2>
 * The forward is bilinear in {@code U = G g Gᵀ} and {@code V}, so the gradient of a filter is
 * {@code Gᵀ [Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B)] G} ({@link #backwardWeight}): the same input transform, the gradient's
 * m×m tiles transformed by {@code A} (the rows of {@code A} for the points ±a differ in the sign of their odd
 * columns, which {@link RowPairs} pairs as it pairs {@code Bᵀ}'s even ones), α² products per block whose inner
 * dimension is the block's tiles, and one transform back per filter, in double precision, after the blocks' sums
 * are added. Exact in exact arithmetic, as the forward is; {@code WinogradPlanTest} holds it to the reference
 * loops at the same 2·10⁻⁵ of the largest value.
 *
 * <h2>Blocks and threads</h2>
 * An image's tiles ({@code ⌈p/m⌉ × ⌈q/m⌉}; the last row and column of tiles may reach past the output, and read
 * zeros past the padded input) are cut into blocks of whole tile rows, about {@link #BLOCK_OUTPUTS} output
 * positions each. Work is split over (image, block) units with {@link WorkerPool}; a unit transforms its input
 * tiles (a row transform of each padded input row, shared by the tile rows that read it, then the column
 * transform over all the block's tiles at once; each step a sum of a few multiples of whole rows of tiles, loops
 * the JIT vectorises), runs the α² products and transforms the outputs into {@code y}. Blocks depend on the geometry only, and every output is written by one
 * unit from the same calls, so results are bit-identical for every thread count. Each thread's buffers
 * ({@link Scratch}) grow as needed and are reused across calls. The weight gradient sums one partial per chunk of
 * units and adds the partials in chunk order: bit-identical from run to run at one thread count, as the shifted
 * plans' weight gradient.
 *
 * <h2>When it applies</h2>
 * Stride 1, a 5×5 kernel, at least {@link #MIN_CHANNELS} input and output channels, at least
 * {@link #MIN_POSITIONS} output positions per call, and the system property {@value #PROPERTY} not {@code false}
 * (read on every call, so one process can time both plans; {@code 2} or {@code 4} choose the tile, {@code all2}
 * or {@code all4} take every stride-1 5×5 convolution); for inference, whose weight transform
 * {@link KeptWeightTransforms} keeps between calls, from {@link #MIN_POSITIONS_KEPT} positions. The shifted
 * plans ({@link ShiftedPlan}, {@link OffsetPlan}) remain the fallback. On the V-Net's layers at batch 4 (1 thread,
 * CPU time, AMD EPYC, {@code ConvQuickTiming forward 5 cpu winograd}), F(4×4, 5×5) against the shifted plans:
 * 32 channels at 256² 261 against 315 ms, at 128² 71 against 82; 64 at 128² 169 against 274, at 64² 42 against
 * 66; 128 at 64² 112 against 218, at 32² 35 against 52; 256 at 32² 105 against 201; F(2×2, 5×5) was slower
 * than F(4×4) on every one of them (its 36 products per 4 outputs against 64 per 16, and 9 transformed values
 * per output against 4). Measured tables: {@code docs/benchmarks.md}.
 */
final class WinogradPlan {

    /**
     * System property: {@code true} (the default) uses this plan where it applies, with F(4×4, 5×5); {@code false}
     * turns it off; {@code 2} or {@code 4} force F(2×2, 5×5) or F(4×4, 5×5) where it applies; {@code all2} or
     * {@code all4} use it for every stride-1 5×5 convolution, whatever its channels and size (for tests).
     */
    static final String PROPERTY = "vnet.conv.winograd";
    /** The row arithmetic of the transforms: the Vector API's where the JVM has the module. */
    private static final TransformRows ROW_MATH = TransformRows.active();
    /**
     * Fewer input or output channels: the transforms cost more than the products save (16 → 16 channels, batch 4,
     * 1 thread, CPU time: 186 ms against the shifted plan's 159 at 256², 49 against 40 at 128²; 32 channels at
     * 256²: 261 against 315).
     */
    static final int MIN_CHANNELS = 32;
    /**
     * Fewer output positions per call ({@code n·p·q}): the weight transform, done on every call, outweighs the
     * saving (256 → 256 channels at 16×16, 1 thread, CPU time: batch 4, 1024 positions, 94 ms against 72; batch
     * 8, 2048 positions, 104 against 104; 32×32, batch 4, 4096 positions, 123 against 239).
     */
    static final int MIN_POSITIONS = 4096;
    /**
     * The same for inference, where {@link KeptWeightTransforms} keeps the weight transform between calls: the plan
     * then pays from fewer positions (256 → 256 channels at 16×16, batch 4, 1024 positions, 1 thread, CPU time,
     * AMD EPYC with AVX-512: 27–32 ms without the transform against the shifted plans' 44–46).
     */
    static final int MIN_POSITIONS_KEPT = 1024;
    /** Output positions per block, before rounding to whole tile rows. */
    static final int BLOCK_OUTPUTS = 4096;

    /** F(2×2, 5×5). */
    static final Algorithm F2 = new Algorithm(2,
            new double[][] {{1, 1, 1, 1, 1, 0}, {0, -1, 1, -2, 2, 1}},
            new double[][] {{1.0 / 4, 0, 0, 0, 0}, {-1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6},
                    {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6, -1.0 / 3, 2.0 / 3},
                    {-1.0 / 24, -1.0 / 12, -1.0 / 6, -1.0 / 3, -2.0 / 3}, {0, 0, 0, 0, 1}},
            new double[][] {{4, 0, -5, 0, 1, 0}, {0, 4, -4, -1, 1, 0}, {0, 4, 4, -1, -1, 0}, {0, 2, -1, -2, 1, 0},
                    {0, 2, 1, -2, -1, 0}, {0, 4, 0, -5, 0, 1}});
    /** F(4×4, 5×5). */
    static final Algorithm F4 = new Algorithm(4,
            new double[][] {{1, 1, 1, 1, 1, 1, 1, 0}, {0, -1, 1, -2, 2, -1.0 / 2, 1.0 / 2, 0},
                    {0, 1, 1, 4, 4, 1.0 / 4, 1.0 / 4, 0}, {0, -1, 1, -8, 8, -1.0 / 8, 1.0 / 8, 1}},
            new double[][] {{1.0 / 4, 0, 0, 0, 0}, {1.0 / 18, -1.0 / 18, 1.0 / 18, -1.0 / 18, 1.0 / 18},
                    {-1.0 / 18, -1.0 / 18, -1.0 / 18, -1.0 / 18, -1.0 / 18},
                    {-1.0 / 360, 1.0 / 180, -1.0 / 90, 1.0 / 45, -2.0 / 45},
                    {1.0 / 360, 1.0 / 180, 1.0 / 90, 1.0 / 45, 2.0 / 45},
                    {-16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45, -1.0 / 45},
                    {16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45, 1.0 / 45}, {0, 0, 0, 0, -1.0 / 4}},
            new double[][] {{4, 0, -21, 0, 21, 0, -4, 0}, {0, 4, -4, -17, 17, 4, -4, 0},
                    {0, 4, 4, -17, -17, 4, 4, 0}, {0, 2, -1, -10, 5, 8, -4, 0}, {0, 2, 1, -10, -5, 8, 4, 0},
                    {0, 4, -8, -5, 10, 1, -2, 0}, {0, 4, 8, -5, -10, 1, 2, 0}, {0, 4, 0, -21, 0, 21, 0, -4}});

    /**
     * One F(m×m, 5×5) algorithm: its matrices, {@code Bᵀ} as a {@link RowPairs} program and {@code Aᵀ} as a
     * {@link ColumnPairs} program.
     */
    static final class Algorithm {
        final int m, alpha;
        final double[][] g;
        final RowPairs bt;
        final ColumnPairs at;
        /** {@code A = (Aᵀ)ᵀ}, α×m, for the gradients' tiles {@code A dY Aᵀ} of the weight gradient. */
        final RowPairs a;

        Algorithm(int m, double[][] at, double[][] g, double[][] bt) {
            this.m = m;
            this.alpha = m + 4;
            this.g = g;
            this.bt = new RowPairs(bt, l -> l);
            this.at = new ColumnPairs(at);
            double[][] a = new double[alpha][m];
            for (int i = 0; i < alpha; i++) {
                for (int b = 0; b < m; b++) {
                    a[i][b] = at[b][i];
                }
            }
            this.a = new RowPairs(a, l -> l);
        }
    }

    /**
     * A matrix applied to rows of values, as a program that exploits the symmetric interpolation points: two
     * consecutive rows {@code i, i + 1} that differ only in the sign of their entries in the columns of one parity
     * (rows of {@code Bᵀ} for the points {@code −a, a} differ in their even columns, rows of {@code A} in their odd
     * ones) are computed from the sum {@code K} of the terms whose sign they share and the sum {@code F} of the
     * others as {@code K + F} and {@code K − F}; other rows term by term.
     */
    static final class RowPairs {
        /** Per step: the output row, whether it is a pair (rows i and i + 1), its terms (shared-sign ones, for a pair). */
        final int[] row;
        final boolean[] pair;
        final int[][] index, flipIndex;
        final float[][] coef, flipCoef;

        /** {@code source} maps a column of the matrix to where its term is read (its index in {@link TransformRows#combine}). */
        RowPairs(double[][] a, IntUnaryOperator source) {
            // per step: the row, and the parity of the columns whose sign flips in row + 1 (-1: not a pair)
            List<int[]> steps = new ArrayList<>();
            for (int i = 0; i < a.length; i++) {
                int flips = -1;
                for (int parity = 0; parity < 2 && flips < 0 && i + 1 < a.length; parity++) {
                    boolean paired = hasParity(a[i], 0) && hasParity(a[i], 1);
                    for (int l = 0; paired && l < a[i].length; l++) {
                        paired = a[i + 1][l] == (l % 2 == parity ? -a[i][l] : a[i][l]);
                    }
                    flips = paired ? parity : -1;
                }
                steps.add(new int[] {i, flips});
                i += flips >= 0 ? 1 : 0;
            }
            int n = steps.size();
            row = new int[n];
            pair = new boolean[n];
            index = new int[n][];
            flipIndex = new int[n][];
            coef = new float[n][];
            flipCoef = new float[n][];
            for (int e = 0; e < n; e++) {
                row[e] = steps.get(e)[0];
                int flips = steps.get(e)[1];
                pair[e] = flips >= 0;
                double[] r = a[row[e]];
                double[] kept = r.clone(), flipped = new double[r.length];
                if (pair[e]) {
                    for (int l = flips; l < r.length; l += 2) {
                        flipped[l] = r[l];
                        kept[l] = 0;
                    }
                }
                index[e] = nonZeroColumns(kept, source);
                coef[e] = nonZeroValues(kept);
                flipIndex[e] = nonZeroColumns(flipped, source);
                flipCoef[e] = nonZeroValues(flipped);
            }
        }

        /** The same program with every term read at {@code source(index)} instead. */
        RowPairs mapped(IntUnaryOperator source) {
            RowPairs copy = new RowPairs(this);
            for (int e = 0; e < row.length; e++) {
                copy.index[e] = Arrays.stream(index[e]).map(source).toArray();
                copy.flipIndex[e] = Arrays.stream(flipIndex[e]).map(source).toArray();
            }
            return copy;
        }

        private RowPairs(RowPairs other) {
            row = other.row;
            pair = other.pair;
            coef = other.coef;
            flipCoef = other.flipCoef;
            index = new int[row.length][];
            flipIndex = new int[row.length][];
        }

        /**
         * {@code dst[d + i·dstStride + t] = Σ_l a[i, l] · src[base + index(l)·stride + t]} for every row {@code i},
         * {@code t < len}; {@code tmp} holds at least {@code len} floats.
         */
        void apply(float[] src, int base, int stride, float[] dst, int d, int dstStride, int len, float[] tmp) {
            for (int e = 0; e < row.length; e++) {
                int to = d + row[e] * dstStride;
                ROW_MATH.combine(src, base, stride, index[e], coef[e], dst, to, len);
                if (pair[e]) {
                    ROW_MATH.combine(src, base, stride, flipIndex[e], flipCoef[e], tmp, 0, len);
                    ROW_MATH.sumAndDifference(dst, to, tmp, 0, dst, to, to + dstStride, len);
                }
            }
        }
    }

    /**
     * {@code Aᵀ} applied to rows of values, as a program that exploits the symmetric interpolation points: two
     * consecutive columns {@code j, j + 1} whose entries agree up to the sign {@code (−1)^b} of row {@code b}
     * (the points {@code −a, a}) are first reduced to the sum {@code S = x_j + x_{j+1}} and the difference
     * {@code D = x_{j+1} − x_j}; even rows then read {@code S}, odd rows {@code D}, with half the terms.
     */
    static final class ColumnPairs {
        /** Whether column j starts a pair with j + 1 (then j holds S and j + 1 holds D after the reduction). */
        final boolean[] starts;
        final int[][] index;
        final float[][] coef;

        ColumnPairs(double[][] a) {
            int cols = a[0].length;
            starts = new boolean[cols];
            for (int j = 0; j + 1 < cols; j++) {
                boolean paired = true;
                for (int b = 0; b < a.length && paired; b++) {
                    paired = a[b][j] == (b % 2 == 0 ? a[b][j + 1] : -a[b][j + 1]) && a[b][j + 1] != 0;
                }
                if (paired) {
                    starts[j] = true;
                    j++;
                }
            }
            index = new int[a.length][];
            coef = new float[a.length][];
            for (int b = 0; b < a.length; b++) {
                double[] reduced = new double[cols];
                for (int j = 0; j < cols; j++) {
                    if (starts[j]) {
                        reduced[b % 2 == 0 ? j : j + 1] = a[b][j + 1];
                        j++;
                    } else {
                        reduced[j] = a[b][j];
                    }
                }
                index[b] = nonZeroColumns(reduced, l -> l);
                coef[b] = nonZeroValues(reduced);
            }
        }

        /**
         * {@code dst[d + b·dstStride + t] = Σ_j a[b, j] · src[base + j·stride + t]} for every row {@code b},
         * {@code t < len}; {@code reduced} holds at least {@code cols·len} floats.
         */
        void apply(float[] src, int base, int stride, float[] dst, int d, int dstStride, int len, float[] reduced) {
            int cols = starts.length;
            for (int j = 0; j < cols; j++) {
                int s0 = base + j * stride, r0 = j * len;
                if (starts[j]) {
                    // S = hi + lo, D = hi − lo
                    ROW_MATH.sumAndDifference(src, s0 + stride, src, s0, reduced, r0, r0 + len, len);
                    j++;
                } else {
                    System.arraycopy(src, s0, reduced, r0, len);
                }
            }
            for (int b = 0; b < index.length; b++) {
                ROW_MATH.combine(reduced, 0, len, index[b], coef[b], dst, d + b * dstStride, len);
            }
        }
    }

    /** {@return whether {@code r} has a non-zero entry in a column of the given parity} */
    private static boolean hasParity(double[] r, int parity) {
        for (int l = parity; l < r.length; l += 2) {
            if (r[l] != 0) {
                return true;
            }
        }
        return false;
    }

    private static int[] nonZeroColumns(double[] r, IntUnaryOperator source) {
        return IntStream.range(0, r.length).filter(l -> r[l] != 0).map(source).toArray();
    }

    private static float[] nonZeroValues(double[] r) {
        double[] v = Arrays.stream(r).filter(x -> x != 0).toArray();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private final ConvGeometry g;
    private final Algorithm f;
    private final int m, alpha, tilesH, tilesW, blockRows, blocksPerImage;
    /** Columns of the phase array: tile {@code t} reads phase {@code j} at {@code t .. t + (α − 1) / m}. */
    private final int phaseColumns;
    /** {@code Bᵀ} reading the phase array: column {@code l} at {@code (l mod m)·phaseColumns + l / m}. */
    private final RowPairs rowProgram;

    WinogradPlan(ConvGeometry g, Algorithm f) {
        this.g = g;
        this.f = f;
        this.m = f.m;
        this.alpha = f.alpha;
        this.tilesH = GemmConvKernels.ceilDiv(g.p(), m);
        this.tilesW = GemmConvKernels.ceilDiv(g.q(), m);
        int rows = Math.max(1, Math.min(tilesH, BLOCK_OUTPUTS / (m * m * tilesW)));
        this.blocksPerImage = GemmConvKernels.ceilDiv(tilesH, rows);
        this.blockRows = GemmConvKernels.ceilDiv(tilesH, blocksPerImage);
        this.phaseColumns = tilesW + (alpha - 1) / m;
        this.rowProgram = f.bt.mapped(l -> (l % m) * phaseColumns + l / m);
    }

    /** {@return how many blocks of tile rows an image is cut into} */
    int blocksPerImage() {
        return blocksPerImage;
    }

    /** {@return the property's value, lower case, {@code true} when unset} */
    private static String setting() {
        return System.getProperty(PROPERTY, "true").trim().toLowerCase(Locale.ROOT);
    }

    /** Stride 1, 5×5, enough channels on both sides and positions (unless {@code all…}), and not turned off. */
    static boolean applies(ConvGeometry g) {
        return applies(g, MIN_POSITIONS);
    }

    /** {@link #applies} for inference with the weight transform kept between calls: {@link #MIN_POSITIONS_KEPT}. */
    static boolean appliesKept(ConvGeometry g) {
        return applies(g, MIN_POSITIONS_KEPT);
    }

    private static boolean applies(ConvGeometry g, int minPositions) {
        String setting = setting();
        return g.strideH() == 1 && g.strideW() == 1 && g.r() == 5 && g.s() == 5 && !setting.equals("false")
                && (setting.startsWith("all") || g.c() >= MIN_CHANNELS && g.k() >= MIN_CHANNELS
                && (long) g.n() * g.p() * g.q() >= minPositions);
    }

    /** {@return the algorithm the property asks for} */
    static Algorithm algorithm() {
        String setting = setting();
        return switch (setting) {
            case "true", "4", "all4" -> F4;
            case "2", "all2" -> F2;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + " is '" + setting
                    + "', expected true, false, 2, 4, all2 or all4");
        };
    }

    /** {@code y (+)= conv(x, wt) + bias} for a stride-1 5×5 geometry, {@code wt[k, c, 5, 5]} on the heap. */
    static void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate,
                        GemmScratch caller) {
        forward(g, algorithm(), x, wt, bias, y, accumulate, caller);
    }

    /** {@link #forward} with the given algorithm. */
    static void forward(ConvGeometry g, Algorithm f, float[] x, float[] wt, float[] bias, float[] y,
                        boolean accumulate, GemmScratch caller) {
        int a2 = f.alpha * f.alpha;
        // straight into the off-heap buffer the products read: a heap copy would be 17 MB more at 256 channels
        transformWeights(g, f, wt, caller.weights(a2 * (long) g.k() * g.c()));
        forwardTransformed(g, f, x, caller.weightsPtr, bias, y, accumulate);
    }

    /**
     * {@code y = conv(x, wt) + bias} with the weight transform kept between calls ({@link KeptWeightTransforms}),
     * for inference; {@return false, having done nothing, when no transform can be kept (its memory cap)}
     */
    static boolean forwardKept(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y) {
        Algorithm f = algorithm();
        try (KeptWeightTransforms.Lease lease = KeptWeightTransforms.lease(g, f, wt)) {
            if (lease == null) {
                return false;
            }
            forwardTransformed(g, f, x, lease.weights(), bias, y, false);
            return true;
        }
    }

    /** The forward's products and input and output transforms, with the weights {@code u[ξ, k, c]} transformed. */
    private static void forwardTransformed(ConvGeometry g, Algorithm f, float[] x, FloatPointer weights, float[] bias,
                                           float[] y, boolean accumulate) {
        WinogradPlan plan = new WinogradPlan(g, f);
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
     * {@code dw += ∂L/∂wt} for a stride-1 5×5 geometry, from {@code x} and {@code dy}. The forward is bilinear in
     * the filter's transform {@code U = G g Gᵀ}, so {@code ∂L/∂g_kc = Gᵀ [Σ_tiles (A dY_k Aᵀ) ⊙ (Bᵀ d_c B)] G}: per
     * block the input tiles are transformed as in the forward, the gradient tiles by {@code A}, and the α² products
     * {@code M_ξ[k, c] += D_ξ[k, tiles] · V_ξ[c, tiles]ᵀ} have the block's tiles as their inner dimension. Each chunk
     * of (image, block) units sums its own {@code M}, the chunks are added in order, and {@code Gᵀ M G} is taken
     * once, in double precision: as for the shifted plans, bit-identical from run to run at one thread count.
     */
    static void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, GemmScratch caller) {
        backwardWeight(g, algorithm(), x, dy, dw, caller);
    }

    /** {@link #backwardWeight} with the given algorithm. */
    static void backwardWeight(ConvGeometry g, Algorithm f, float[] x, float[] dy, float[] dw, GemmScratch caller) {
        WinogradPlan plan = new WinogradPlan(g, f);
        int a2 = f.alpha * f.alpha, blocks = plan.blocksPerImage;
        long size = (long) a2 * g.k() * g.c();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2d: Winograd weight gradient of " + size
                    + " floats exceeds the largest Java array (" + g + ")");
        }
        int units = g.n() * blocks;
        WorkerPool pool = WorkerPool.current();
        int chunks = pool.chunks(units);
        FloatPointer[] partials = caller.partials(chunks, size);
        pool.forRange(units, (chunk, from, to) -> {
            Scratch s = Scratch.get();
            FloatPointer partial = new FloatPointer(partials[chunk]);
            for (int unit = from; unit < to; unit++) {
                plan.runWeightGradient(unit / blocks, unit % blocks, x, dy, partial, unit == from, s);
            }
        });
        transformWeightGradient(g, f, GemmConvKernels.sumPartials(partials, chunks, (int) size, caller), dw);
    }

    /** One unit of the weight gradient: image {@code n}, tile rows of block {@code b}, into {@code m[ξ, k, c]}. */
    private void runWeightGradient(int n, int b, float[] x, float[] dy, FloatPointer m, boolean first, Scratch s) {
        int c = g.c(), k = g.k(), a2 = alpha * alpha;
        int ty0 = b * blockRows, rows = Math.min(blockRows, tilesH - ty0);
        int tiles = rows * tilesW;
        long cT = (long) c * tiles, kT = (long) k * tiles;
        float[] v = s.heap(Scratch.IN, a2 * cT);
        transformInput(n, ty0, rows, x, v, s);
        FloatPointer in = s.staged(Scratch.IN, v, a2 * cT);
        float[] d = s.heap(Scratch.OUT, a2 * kT);
        transformGradient(n, ty0, rows, dy, d, s);
        FloatPointer grads = s.staged(Scratch.OUT, d, a2 * kT);
        for (int xi = 0; xi < a2; xi++) {
            grads.position(xi * kT);
            in.position(xi * cT);
            m.position(xi * (long) k * c);
            // M_ξ[k, c] (+)= D_ξ[k, tiles] · V_ξ[c, tiles]ᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, c, tiles,
                    1f, grads, tiles, in, tiles, first ? 0f : 1f, m, c);
        }
    }

    /**
     * {@code d[ξ, k, t] = (A dY Aᵀ)[ξ]} for the m×m gradient tiles {@code dY} of tile rows {@code [ty0, ty0 + rows)}
     * of image {@code n}, zero past {@code p} and {@code q}: per channel, the row transform of each of the block's
     * {@code m·rows} gradient rows, then the column transform over all the block's tiles at once.
     */
    private void transformGradient(int n, int ty0, int rows, float[] dy, float[] d, Scratch s) {
        int k = g.k(), p = g.p(), q = g.q(), tw = tilesW;
        int tiles = rows * tw;
        long plane = (long) k * tiles;
        float[] line = s.heap(Scratch.LINE, (long) m * tw);
        float[] phases = s.heap(Scratch.PHASES, (long) m * tw);
        float[] one = s.heap(Scratch.COLUMNS, (long) alpha * tw);
        float[] rowT = s.heap(Scratch.ROWS, (long) m * alpha * tiles);
        float[] tmp = s.heap(Scratch.OUTPUTS, tiles);
        for (int kk = 0; kk < k; kk++) {
            int src = (n * k + kk) * p * q;
            for (int r = 0; r < rows; r++) {
                for (int a = 0; a < m; a++) {
                    int row = m * (ty0 + r) + a;
                    if (row >= p) {
                        Arrays.fill(one, 0, alpha * tw, 0f);
                    } else {
                        System.arraycopy(dy, src + row * q, line, 0, q);
                        Arrays.fill(line, q, m * tw, 0f);
                        // phase j holds columns j, j + m, ...: column j of tile t
                        for (int j = 0; j < m; j++) {
                            for (int t = 0, at = j * tw; t < tw; t++) {
                                phases[at + t] = line[m * t + j];
                            }
                        }
                        f.a.apply(phases, 0, tw, one, 0, tw, tw, tmp);
                    }
                    for (int j = 0; j < alpha; j++) {
                        System.arraycopy(one, j * tw, rowT, (a * alpha + j) * tiles + r * tw, tw);
                    }
                }
            }
            for (int j = 0; j < alpha; j++) {
                f.a.apply(rowT, j * tiles, alpha * tiles, d, (int) (j * plane) + kk * tiles, (int) (alpha * plane),
                        tiles, tmp);
            }
        }
    }

    /**
     * {@code dw[k, c] += Gᵀ m[·, k, c] G}, in double precision, in parallel over output channels; every step runs
     * along {@code c}, the contiguous axis of {@code m[ξ, k, c]}, on one array per row as in {@link #transformWeights}.
     */
    static void transformWeightGradient(ConvGeometry g, Algorithm f, float[] m, float[] dw) {
        int k = g.k(), c = g.c(), alpha = f.alpha;
        double[][] gt = new double[5][alpha];
        for (int l = 0; l < 5; l++) {
            for (int i = 0; i < alpha; i++) {
                gt[l][i] = f.g[i][l];
            }
        }
        WorkerPool.current().forRange(k, (chunk, k0, k1) -> {
            double[][] mk = new double[alpha * alpha][c];
            double[][] gtm = new double[5 * alpha][c];
            double[][] out = new double[25][c];
            for (int kk = k0; kk < k1; kk++) {
                for (int xi = 0; xi < alpha * alpha; xi++) {
                    double[] row = mk[xi];
                    for (int cc = 0, at = (xi * k + kk) * c; cc < c; cc++) {
                        row[cc] = m[at + cc];
                    }
                }
                // gtm[l, j] = Σ_i G[i, l] · m[i, j], then out[l, s] = Σ_j gtm[l, j] · G[j, s]
                applyRows(gt, mk, alpha, alpha, gtm, 5, alpha, false);
                applyRows(gt, gtm, 5, alpha, out, 5, 5, true);
                for (int ls = 0; ls < 25; ls++) {
                    double[] sum = out[ls];
                    for (int cc = 0, to = kk * c * 25 + ls; cc < c; cc++) {
                        dw[to + cc * 25] += (float) sum[cc];
                    }
                }
            }
        });
    }

    /**
     * {@code u[ξ, k, c] = (G wt[k, c] Gᵀ)[ξ]}, in double precision, in parallel over output channels. Per output
     * channel the filters are first laid out as rows {@code w[l·5 + j][c]} so that every step runs along {@code c},
     * the contiguous axis of {@code u}; one array per row, so that the loops read and write without offsets, which
     * the JIT vectorises ({@link TransformRows} says why offsets stop it).
     */
    static void transformWeights(ConvGeometry g, Algorithm f, float[] wt, FloatBuffer u) {
        int k = g.k(), c = g.c(), alpha = f.alpha;
        WorkerPool.current().forRange(k, (chunk, k0, k1) -> {
            double[][] w = new double[25][c];
            double[][] gw = new double[alpha * 5][c];
            double[][] out = new double[alpha * alpha][c];
            float[] row = new float[c];
            for (int kk = k0; kk < k1; kk++) {
                for (int cc = 0; cc < c; cc++) {
                    int base = (kk * c + cc) * 25;
                    for (int lj = 0; lj < 25; lj++) {
                        w[lj][cc] = wt[base + lj];
                    }
                }
                // gw[i, j] = Σ_l G[i, l] · w[l, j], then out[i, j] = Σ_l gw[i, l] · G[j, l]
                applyRows(f.g, w, 5, 5, gw, alpha, 5, false);
                applyRows(f.g, gw, alpha, 5, out, alpha, alpha, true);
                for (int xi = 0; xi < alpha * alpha; xi++) {
                    double[] sum = out[xi];
                    for (int cc = 0; cc < c; cc++) {
                        row[cc] = (float) sum[cc];
                    }
                    // an absolute put: the threads write disjoint rows of one buffer
                    u.put((xi * k + kk) * c, row, 0, c);
                }
            }
        });
    }

    /**
     * A matrix product on matrices whose entries are rows of values (one value per channel): {@code in} is
     * {@code inRows × inCols}, entry {@code (i, j)} at {@code in[i·inCols + j]}; {@code out} is
     * {@code outRows × outCols}. On the left, {@code out(i, j) = Σ_b mat[i][b] · in(b, j)}; on the right
     * ({@code right}), {@code out(i, j) = Σ_b in(i, b) · mat[j][b]}. Terms with a zero coefficient are skipped.
     */
    private static void applyRows(double[][] mat, double[][] in, int inRows, int inCols, double[][] out, int outRows,
                                  int outCols, boolean right) {
        for (int i = 0; i < outRows; i++) {
            for (int j = 0; j < outCols; j++) {
                double[] sum = out[i * outCols + j];
                Arrays.fill(sum, 0);
                int terms = right ? inCols : inRows;
                for (int b = 0; b < terms; b++) {
                    double coef = right ? mat[j][b] : mat[i][b];
                    if (coef != 0) {
                        double[] x = right ? in[i * inCols + b] : in[b * inCols + j];
                        for (int cc = 0; cc < sum.length; cc++) {
                            sum[cc] += coef * x[cc];
                        }
                    }
                }
            }
        }
    }

    /** One unit: image {@code n}, tile rows of block {@code b}. */
    private void run(int n, int b, float[] x, FloatPointer weights, float[] bias, float[] y, boolean accumulate,
                     Scratch s) {
        int c = g.c(), k = g.k(), a2 = alpha * alpha;
        int ty0 = b * blockRows, rows = Math.min(blockRows, tilesH - ty0);
        int tiles = rows * tilesW;
        long cT = (long) c * tiles, kT = (long) k * tiles;
        float[] v = s.heap(Scratch.IN, a2 * cT);
        transformInput(n, ty0, rows, x, v, s);
        FloatPointer in = s.staged(Scratch.IN, v, a2 * cT);
        FloatPointer out = new FloatPointer(s.offHeap(Scratch.OUT, a2 * kT));
        for (int xi = 0; xi < a2; xi++) {
            weights.position(xi * (long) k * c);
            in.position(xi * cT);
            out.position(xi * kT);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, tiles, c,
                    1f, weights, c, in, tiles, 0f, out, tiles);
        }
        float[] mm = s.heap(Scratch.OUT, a2 * kT);
        s.offHeapBuffer(Scratch.OUT).get(0, mm, 0, (int) (a2 * kT));
        transformOutput(n, ty0, rows, mm, bias, y, accumulate, s);
    }

    /**
     * {@code v[ξ, c, t] = (Bᵀ d B)[ξ]} for the tiles {@code t} of tile rows {@code [ty0, ty0 + rows)} of image
     * {@code n}. Per channel: the row transform of each of the {@code m·rows + 4} padded input rows, copied to
     * {@code rowT[l, j, r, t]} for every tile row {@code r} that reads that padded row as its row {@code l}; then
     * the column transform over all the block's tiles at once.
     */
    private void transformInput(int n, int ty0, int rows, float[] x, float[] v, Scratch s) {
        int c = g.c(), h = g.h(), w = g.w(), padH = g.padH(), padW = g.padW();
        int tw = tilesW, paddedRows = m * rows + 4, pc = phaseColumns, wp = m * pc;
        int tiles = rows * tw;
        long plane = (long) c * tiles;
        float[] line = s.heap(Scratch.LINE, wp);
        float[] phases = s.heap(Scratch.PHASES, (long) m * pc);
        float[] one = s.heap(Scratch.COLUMNS, (long) alpha * tw);
        float[] rowT = s.heap(Scratch.ROWS, (long) alpha * alpha * tiles);
        float[] tmp = s.heap(Scratch.OUTPUTS, tiles);
        for (int cc = 0; cc < c; cc++) {
            int src = (n * c + cc) * h * w;
            for (int pr = 0; pr < paddedRows; pr++) {
                int ir = m * ty0 + pr - padH;
                if (ir < 0 || ir >= h) {
                    Arrays.fill(one, 0, alpha * tw, 0f);
                } else {
                    // the padded row: zeros, the input row at padW, zeros up to the last tile's reach
                    int copy = Math.min(w, wp - padW);
                    Arrays.fill(line, 0, padW, 0f);
                    System.arraycopy(x, src + ir * w, line, padW, copy);
                    Arrays.fill(line, padW + copy, wp, 0f);
                    // phase j holds columns j, j + m, ...: tile t reads column m·t + l at phase l mod m, t + l / m
                    for (int j = 0; j < m; j++) {
                        for (int u = 0, at = j * pc; u < pc; u++) {
                            phases[at + u] = line[m * u + j];
                        }
                    }
                    rowProgram.apply(phases, 0, 1, one, 0, tw, tw, tmp);
                }
                // tile row r reads padded rows m·r .. m·r + α − 1
                for (int r = Math.max(0, GemmConvKernels.ceilDiv(pr - alpha + 1, m)); r < rows && m * r <= pr; r++) {
                    int l = pr - m * r;
                    for (int j = 0; j < alpha; j++) {
                        System.arraycopy(one, j * tw, rowT, (l * alpha + j) * tiles + r * tw, tw);
                    }
                }
            }
            for (int j = 0; j < alpha; j++) {
                f.bt.apply(rowT, j * tiles, alpha * tiles, v, (int) (j * plane) + cc * tiles, (int) (alpha * plane),
                        tiles, tmp);
            }
        }
    }

    /**
     * {@code y[n, k, m·ty + a, m·tx + b] (+)= (Aᵀ M A)[a, b] + bias} for the block's tiles, from {@code mm[ξ, k, t]};
     * outputs past {@code p} or {@code q} (the last tile row or column) are dropped.
     */
    private void transformOutput(int n, int ty0, int rows, float[] mm, float[] bias, float[] y, boolean accumulate,
                                 Scratch s) {
        int k = g.k(), p = g.p(), q = g.q(), tw = tilesW;
        int tiles = rows * tw;
        int plane = k * tiles;
        // colT[(b·α + i)·tiles + t]: row i of the product tiles along their columns; out[(a·m + b)·tiles + t]
        float[] colT = s.heap(Scratch.COLUMNS, (long) m * alpha * tiles);
        float[] out = s.heap(Scratch.OUTPUTS, (long) m * m * tiles);
        float[] reduced = s.heap(Scratch.LINE, (long) alpha * tiles);
        for (int kk = 0; kk < k; kk++) {
            float bk = bias == null ? 0f : bias[kk];
            int yk = (n * k + kk) * p * q;
            for (int i = 0; i < alpha; i++) {
                f.at.apply(mm, i * alpha * plane + kk * tiles, plane, colT, i * tiles, alpha * tiles, tiles, reduced);
            }
            for (int b = 0; b < m; b++) {
                f.at.apply(colT, b * alpha * tiles, tiles, out, b * tiles, m * tiles, tiles, reduced);
            }
            for (int r = 0; r < rows; r++) {
                int row0 = m * (ty0 + r);
                for (int a = 0; a < m && row0 + a < p; a++) {
                    store(y, yk + (row0 + a) * q, q, out, a * m * tiles + r * tw, tiles, bk, accumulate);
                }
            }
        }
    }

    /**
     * One output row from the tiles' m columns {@code out[from + b·stride + t]}, columns past {@code q} dropped.
     */
    private void store(float[] y, int at, int q, float[] out, int from, int stride, float bias, boolean accumulate) {
        for (int b = 0; b < m; b++) {
            int src = from + b * stride;
            int full = (q - b + m - 1) / m; // tiles whose column b lies inside the output
            if (accumulate) {
                for (int t = 0; t < full; t++) {
                    y[at + m * t + b] += out[src + t] + bias;
                }
            } else {
                for (int t = 0; t < full; t++) {
                    y[at + m * t + b] = out[src + t] + bias;
                }
            }
        }
    }

    /** One thread's buffers of this plan, by slot; they only grow. */
    static final class Scratch {
        static final int IN = 0, OUT = 1, ROWS = 2, COLUMNS = 3, LINE = 4, PHASES = 5, OUTPUTS = 6;
        private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

        private final float[][] heap = new float[7][0];
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

        /**
         * {@return a view of the off-heap buffer of {@code slot} (with its own position) holding the first
         * {@code size} floats of {@code values}, the products' operand}
         */
        FloatPointer staged(int slot, float[] values, long size) {
            FloatPointer buffer = offHeap(slot, size);
            offHeapBuf[slot].put(0, values, 0, (int) size);
            return new FloatPointer(buffer);
        }

        /** {@return a buffer over {@link #offHeap}'s memory} */
        FloatBuffer offHeapBuffer(int slot) {
            return offHeapBuf[slot];
        }
    }
}
