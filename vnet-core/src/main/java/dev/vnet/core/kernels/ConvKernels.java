package dev.vnet.core.kernels;

/**
 * The three computations of a 2D convolution on raw row-major arrays. Implementations:
 * {@link NaiveConvKernels} (loops that are obviously right, the reference the tests hold the fast one to)
 * and {@link GemmConvKernels} (the fast one). Arrays are NCHW / KCRS as in {@link ConvGeometry}.
 */
public interface ConvKernels {

    /**
     * {@code y = conv(x, w) + bias}; overwrites {@code y}.
     *
     * @param g    the sizes of the convolution
     * @param x    [n, c, h, w]
     * @param wt   [k, c, r, s]
     * @param bias [k] or {@code null}
     * @param y    [n, k, p, q], written
     */
    void forward(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y);

    /**
     * {@link #forward} for inference, where the same weights come back call after call unchanged: an
     * implementation may keep work derived from {@code wt} between calls, as long as every result equals
     * {@link #forward}'s for the values {@code wt} holds at the call. By default, {@link #forward}.
     *
     * @param g    the sizes of the convolution
     * @param x    [n, c, h, w]
     * @param wt   [k, c, r, s]
     * @param bias [k] or {@code null}
     * @param y    [n, k, p, q], written
     */
    default void forwardInference(ConvGeometry g, float[] x, float[] wt, float[] bias, float[] y) {
        forward(g, x, wt, bias, y);
    }

    /**
     * {@code y += conv(x, w)}: the forward pass added into {@code y}, each output summed in full before it is added
     * (a transposed convolution's input gradient, when that input already has one).
     *
     * @param g  the sizes of the convolution
     * @param x  [n, c, h, w]
     * @param wt [k, c, r, s]
     * @param y  [n, k, p, q], accumulated
     */
    void forwardAccumulate(ConvGeometry g, float[] x, float[] wt, float[] y);

    /**
     * {@code dx += conv_transpose(dy, w)}: the gradient with respect to the input, added into {@code dx}.
     *
     * @param g  the sizes of the convolution
     * @param dy [n, k, p, q]
     * @param wt [k, c, r, s]
     * @param dx [n, c, h, w], accumulated
     */
    void backwardInput(ConvGeometry g, float[] dy, float[] wt, float[] dx);

    /**
     * {@code dw += x ⋆ dy} and {@code dbias += Σ dy}: gradients with respect to the weight and bias,
     * added into {@code dw} and (if not {@code null}) {@code dbias}.
     *
     * @param g     the sizes of the convolution
     * @param x     [n, c, h, w]
     * @param dy    [n, k, p, q]
     * @param dw    [k, c, r, s], accumulated
     * @param dbias [k] or {@code null}, accumulated
     */
    void backwardWeight(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] dbias);
}
