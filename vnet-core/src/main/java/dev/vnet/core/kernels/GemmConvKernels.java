package dev.vnet.core.kernels;

import static org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;

import dev.vnet.parallel.WorkerPool;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The convolution as matrix products on OpenBLAS's {@code sgemm}, on off-heap buffers.
 *
 * <h2>How</h2>
 * <ul>
 *   <li><b>Stride 1, 5×5, 32 or more input and output channels, 4096 or more output positions per call</b> (the
 *   V-Net's 5×5 layers at batch 4 and 256², but for the 256-channel one at 16²): Winograd's F(4×4, 5×5), 64
 *   products per 16 outputs instead of 400, as 64 matrix products over blocks of tiles, for the forward, the input
 *   gradient and the weight gradient (see {@link WinogradPlan}; the system property {@code vnet.conv.winograd=false}
 *   turns it off, and the plans below take these layers). In inference ({@link #forwardInference}) the weight
 *   transform can be kept from call to call ({@link Kernels#keepWeightTransforms}), and the plan then runs from 1024
 *   positions.</li>
 *   <li><b>Stride 1 with 8 or more input and output channels</b> (the 5×5 convolutions of V-Net): no im2col. The output of
 *   an image is cut into tiles of whole rows, and a tile is a sum of products over the kernel offsets, each
 *   reading the zero-padded input in place (see {@link ShiftedPlan}):
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
 * <p>This class chooses the plan; each lives in its own file beside it: {@link WinogradPlan},
 * {@link ShiftedPlan} (shifted and folded),
 * {@link OffsetPlan}, {@link Im2colConv} (im2col, col2im), and {@link GemmScratch}, each thread's buffers.
 * {@link NaiveConvKernels} is the reference they are tested against.
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

    /** OpenBLAS (0.3.17 and later, x86-64) multiplies without packing when {@code m·n·k} is at most 100³. */
    static final long SMALL_GEMM_MNK = 1_000_000;

    private static final GemmConvKernels INSTANCE = new GemmConvKernels();
    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

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
        // a training step's forward: these weights are about to change, so a transform kept for them goes
        KeptWeightTransforms.drop(wt);
        forward(g, x, wt, bias, y, false);
    }

    /**
     * {@inheritDoc} Here, once {@link Kernels#keepWeightTransforms} allows it: the Winograd plan's weight transform is
     * kept between calls ({@link KeptWeightTransforms}, checked against the weights' values on every call), which also
     * takes the plan down to
     * {@link WinogradPlan#MIN_POSITIONS_KEPT} output positions. Where both take the same plan the results are
     * {@link #forward}'s, bit for bit; from {@code MIN_POSITIONS_KEPT} to {@link WinogradPlan#MIN_POSITIONS} positions
     * this one takes the Winograd plan and {@link #forward} the shifted plans, which agree to rounding.
     */
    @Override
    public void forwardInference(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y) {
        NaiveConvKernels.checkSizes(g, x, "x", g.inputSize(), wt, g.weightSize(), y, "y", g.outputSize());
        NaiveConvKernels.checkBias(g, bias, "bias");
        singleThreadedBlas();
        if (WinogradPlan.appliesKept(g) && WinogradPlan.forwardKept(g, x, wt, bias, y)) {
            return;
        }
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
        GemmScratch caller = GemmScratch.get();
        if (WinogradPlan.applies(g)) {
            WinogradPlan.forward(g, x, wt, bias, y, accumulate, caller);
        } else if (OffsetPlan.applies(g)) {
            OffsetPlan.forward(g, x, wt, bias, y, accumulate, caller);
        } else if (ShiftedPlan.applies(g)) {
            ShiftedPlan.forward(g, x, wt, bias, y, accumulate, caller);
        } else {
            caller.weights(g.weightSize()).put(0, wt, 0, g.weightSize());
            Im2colConv.forward(g, x, caller.weightsPtr, bias, y, accumulate, caller);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // backwardInput: dy [n,k,p,q], wt [k,c,r,s] -> dx [n,c,h,w] (accumulated)

    @Override
    public void backwardInput(ConvGeometry g, float[] dy, float[] wt, float[] dx) {
        NaiveConvKernels.checkSizes(g, dx, "dx", g.inputSize(), wt, g.weightSize(), dy, "dy", g.outputSize());
        singleThreadedBlas();
        GemmScratch caller = GemmScratch.get();
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
        Im2colConv.backwardInput(g, dy, wt, dx, caller);
    }

    // ---------------------------------------------------------------------------------------------
    // backwardWeight: x [n,c,h,w], dy [n,k,p,q] -> dw [k,c,r,s] (accumulated), dbias [k] or null (accumulated)

    @Override
    public void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        NaiveConvKernels.checkSizes(g, x, "x", g.inputSize(), dw, g.weightSize(), dy, "dy", g.outputSize());
        NaiveConvKernels.checkBias(g, dbias, "dbias");
        singleThreadedBlas();
        GemmScratch caller = GemmScratch.get();
        if (WinogradPlan.applies(g)) {
            WinogradPlan.backwardWeight(g, x, dy, dw, caller);
        } else if (OffsetPlan.applies(g)) {
            OffsetPlan.backwardWeight(g, x, dy, dw, caller);
        } else if (ShiftedPlan.applies(g)) {
            ShiftedPlan.backwardWeight(g, x, dy, dw, caller);
        } else {
            Im2colConv.backwardWeight(g, x, dy, dw, caller);
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

    /**
     * {@return the sum of the first {@code chunks} off-heap partials of {@code size} floats, added in chunk order} (in
     * parallel over ranges of elements, so the result does not depend on the thread count beyond the partials').
     */
    static float[] sumPartials(FloatPointer[] partials, int chunks, int size, GemmScratch caller) {
        float[] total = caller.heap2(size);
        partials[0].asBuffer().get(0, total, 0, size);
        if (chunks > 1) {
            WorkerPool.current().forRange(size, (chunk, from, to) -> {
                int block = Math.min(to - from, 1 << 14);
                float[] line = GemmScratch.get().line(block);
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

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void singleThreadedBlas() {
        if (blas_get_num_threads() != 1) {
            blas_set_num_threads(1);
        }
    }
}
