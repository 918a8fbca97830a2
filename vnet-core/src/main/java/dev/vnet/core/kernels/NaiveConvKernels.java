package dev.vnet.core.kernels;

/**
 * The convolution as the plain loops of its definition: slow, single-threaded and obviously right.
 * It is the reference that {@link GemmConvKernels} is tested against; nothing else should need it.
 *
 * <p>Each output or gradient element is summed in a fixed order (channel, then kernel row, then kernel
 * column), so results do not depend on the thread count.
 */
public final class NaiveConvKernels implements ConvKernels {

    /** The shared instance (the class has no state). */
    public static final NaiveConvKernels INSTANCE = new NaiveConvKernels();

    // x [n,c,h,w], wt [k,c,r,s], bias [k] or null -> y [n,k,p,q] (overwritten)
    @Override
    public void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y) {
        checkSizes(g, x, "x", g.inputSize(), wt, g.weightSize(), y, "y", g.outputSize());
        checkBias(g, bias, "bias");
        forward(g, x, wt, bias, y, false);
    }

    // x [n,c,h,w], wt [k,c,r,s] -> y [n,k,p,q] (accumulated)
    @Override
    public void forwardAccumulate(ConvGeometry g, float[] x, float[] wt, float[] y) {
        checkSizes(g, x, "x", g.inputSize(), wt, g.weightSize(), y, "y", g.outputSize());
        forward(g, x, wt, null, y, true);
    }

    private static void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y, boolean accumulate) {
        int p = g.p(), q = g.q();
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int op = 0; op < p; op++) {
                    for (int oq = 0; oq < q; oq++) {
                        float sum = 0f;
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                int ih = op * g.strideH() - g.padH() + r;
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int s = 0; s < g.s(); s++) {
                                    int iw = oq * g.strideW() - g.padW() + s;
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    sum += x[((n * g.c() + c) * g.h() + ih) * g.w() + iw]
                                            * wt[((k * g.c() + c) * g.r() + r) * g.s() + s];
                                }
                            }
                        }
                        int o = ((n * g.k() + k) * p + op) * q + oq;
                        y[o] = accumulate ? y[o] + sum : sum + (bias == null ? 0f : bias[k]);
                    }
                }
            }
        }
    }

    // dy [n,k,p,q], wt [k,c,r,s] -> dx [n,c,h,w] (accumulated)
    @Override
    public void backwardInput(ConvGeometry g, float[] dy, float[] wt, float[] dx) {
        checkSizes(g, dx, "dx", g.inputSize(), wt, g.weightSize(), dy, "dy", g.outputSize());
        int p = g.p(), q = g.q();
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ih = 0; ih < g.h(); ih++) {
                    for (int iw = 0; iw < g.w(); iw++) {
                        float sum = 0f;
                        for (int k = 0; k < g.k(); k++) {
                            for (int r = 0; r < g.r(); r++) {
                                int t = ih + g.padH() - r;
                                if (t < 0 || t % g.strideH() != 0 || t / g.strideH() >= p) {
                                    continue;
                                }
                                int op = t / g.strideH();
                                for (int s = 0; s < g.s(); s++) {
                                    int u = iw + g.padW() - s;
                                    if (u < 0 || u % g.strideW() != 0 || u / g.strideW() >= q) {
                                        continue;
                                    }
                                    int oq = u / g.strideW();
                                    sum += dy[((n * g.k() + k) * p + op) * q + oq]
                                            * wt[((k * g.c() + c) * g.r() + r) * g.s() + s];
                                }
                            }
                        }
                        dx[((n * g.c() + c) * g.h() + ih) * g.w() + iw] += sum;
                    }
                }
            }
        }
    }

    // x [n,c,h,w], dy [n,k,p,q] -> dw [k,c,r,s] (accumulated), dbias [k] or null (accumulated)
    @Override
    public void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias) {
        checkSizes(g, x, "x", g.inputSize(), dw, g.weightSize(), dy, "dy", g.outputSize());
        checkBias(g, dbias, "dbias");
        int p = g.p(), q = g.q();
        for (int k = 0; k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        float sum = 0f;
                        for (int n = 0; n < g.n(); n++) {
                            for (int op = 0; op < p; op++) {
                                int ih = op * g.strideH() - g.padH() + r;
                                if (ih < 0 || ih >= g.h()) {
                                    continue;
                                }
                                for (int oq = 0; oq < q; oq++) {
                                    int iw = oq * g.strideW() - g.padW() + s;
                                    if (iw < 0 || iw >= g.w()) {
                                        continue;
                                    }
                                    sum += x[((n * g.c() + c) * g.h() + ih) * g.w() + iw]
                                            * dy[((n * g.k() + k) * p + op) * q + oq];
                                }
                            }
                        }
                        dw[((k * g.c() + c) * g.r() + r) * g.s() + s] += sum;
                    }
                }
            }
        }
        if (dbias != null) {
            for (int k = 0; k < g.k(); k++) {
                float sum = 0f;
                for (int n = 0; n < g.n(); n++) {
                    int base = (n * g.k() + k) * p * q;
                    for (int i = 0; i < p * q; i++) {
                        sum += dy[base + i];
                    }
                }
                dbias[k] += sum;
            }
        }
    }

    /** Checks the lengths of the three arrays of a kernel call against the geometry. */
    static void checkSizes(ConvGeometry g, float[] in, String inName, int inSize,
                           float[] wt, int wtSize, float[] out, String outName, int outSize) {
        checkLength(g, in, inName, inSize);
        checkLength(g, wt, "weight", wtSize);
        checkLength(g, out, outName, outSize);
    }

    private static void checkLength(ConvGeometry g, float[] a, String name, int expected) {
        if (a == null) {
            throw new IllegalArgumentException("conv2d: " + name + " is null (expected " + expected + " floats for " + g + ")");
        }
        if (a.length < expected) {
            throw new IllegalArgumentException("conv2d: " + name + " has " + a.length + " floats, expected at least "
                    + expected + " for " + g);
        }
    }

    /** Checks that a bias (or its gradient) is null or holds one value per output channel. */
    static void checkBias(ConvGeometry g, float[] bias, String name) {
        if (bias != null && bias.length < g.k()) {
            throw new IllegalArgumentException("conv2d: " + name + " has " + bias.length + " floats, expected "
                    + g.k() + " (one per output channel) for " + g);
        }
    }
}
