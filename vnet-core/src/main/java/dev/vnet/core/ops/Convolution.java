package dev.vnet.core.ops;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.Kernels;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Tensor;

/**
 * 2D convolution and transposed convolution on NCHW tensors, as {@code torch.nn.functional.conv2d}
 * and {@code conv_transpose2d} (no dilation, no groups). The arithmetic is done by the active
 * {@link Kernels#conv()}; these ops check shapes and wire the three kernels into autograd.
 *
 * <p>A transposed convolution is the gradient of a convolution, so it reuses the same three
 * kernels with their roles swapped: its forward is the convolution's {@code backwardInput}, its
 * gradient with respect to its input is the convolution's {@code forward}, and its weight gradient
 * is {@code backwardWeight} with input and output gradient exchanged.
 */
public final class Convolution {
    private Convolution() {}

    /**
     * {@link #conv2d(Tensor, Tensor, Tensor, int, int, int, int)} with the same stride and padding in both
     * directions.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param weight  the kernels, {@code [K, C, R, S]}
     * @param bias    {@code [K]}, or {@code null} for none
     * @param stride  the stride in both directions
     * @param padding zero padding on every side
     * @return the output, {@code [N, K, P, Q]}
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, stride, padding, padding);
    }

    /**
     * {@return {@code y[n,k] = bias[k] + Σ_c x[n,c] ⋆ weight[k,c]} with zero padding} Output size {@code P = (H +
     * 2·padH − R) / strideH + 1}, likewise Q.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param weight  the kernels, {@code [K, C, R, S]}
     * @param bias    [K] or {@code null}
     * @param strideH the vertical stride
     * @param strideW the horizontal stride
     * @param padH    zero rows above and below
     * @param padW    zero columns left and right
     * @throws IllegalArgumentException if the shapes disagree or the kernel is larger than the padded input
     */
    // x [n, c, h, w], weight [k, c, r, s], bias [k] or null -> y [n, k, p, q]
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        Shape.requireRank("conv2d", "x", x, 4);
        Shape.requireRank("conv2d", "weight", weight, 4);
        if (x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("conv2d: x of shape " + Shape.toString(x.shape()) + " has " + x.dim(1)
                    + " channels but weight of shape " + Shape.toString(weight.shape()) + " expects " + weight.dim(1));
        }
        checkBias("conv2d", bias, weight.dim(0), weight);
        ConvGeometry g = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2),
                weight.dim(3), strideH, strideW, padH, padW);
        ConvKernels kernels = Kernels.conv();
        float[] y = BufferPool.output(g.outputSize());
        if (GradMode.isEnabled()) {
            kernels.forward(g, x.data(), weight.data(), bias == null ? null : bias.data(), y);
        } else {
            // no graph: inference, whose weights come back unchanged call after call
            kernels.forwardInference(g, x.data(), weight.data(), bias == null ? null : bias.data(), y);
        }
        return Tensor.result("conv2d", Tensor.Reads.INPUTS, new int[] {g.n(), g.k(), g.p(), g.q()}, y, out -> {
            float[] dy = out.grad();
            float[] dx = x.gradBuffer();
            if (dx != null) {
                kernels.backwardInput(g, dy, weight.data(), dx);
            }
            float[] dw = weight.gradBuffer();
            float[] db = bias == null ? null : bias.gradBuffer();
            if (dw != null || db != null) {
                kernels.backwardWeight(g, x.data(), dy, dw != null ? dw : new float[g.weightSize()], db);
            }
        }, x, weight, bias);
    }

    /**
     * {@link #convTranspose2d(Tensor, Tensor, Tensor, int, int, int, int, int, int)} with equal sizes in both
     * directions.
     *
     * @param x             the input, {@code [N, C, H, W]}
     * @param weight        the kernels, {@code [C, K, R, S]} as in PyTorch
     * @param bias          {@code [K]}, or {@code null} for none
     * @param stride        the stride in both directions
     * @param padding       the padding of the transposed convolution
     * @param outputPadding extra rows and columns on the bottom and right of the output
     * @return the output, {@code [N, K, P, Q]}
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
        return convTranspose2d(x, weight, bias, stride, stride, padding, padding, outputPadding, outputPadding);
    }

    /**
     * {@return the transposed convolution of {@code torch.nn.functional.conv_transpose2d}, whose weight is laid out
     * {@code [Cin, Cout, R, S]} as in PyTorch} Output size {@code Hout = (H − 1)·strideH − 2·padH + R + outPadH},
     * likewise Wout; V-Net's up-sampling uses kernel 2, stride 2, no padding, which doubles H and W.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param weight  the kernels, {@code [C, K, R, S]} as in PyTorch
     * @param bias    [Cout] or {@code null}
     * @param strideH the vertical stride
     * @param strideW the horizontal stride
     * @param padH    the vertical padding of the transposed convolution
     * @param padW    the horizontal padding of the transposed convolution
     * @param outPadH extra rows at the bottom of the output
     * @param outPadW extra columns at the right of the output
     * @throws IllegalArgumentException if the shapes disagree, the output would be empty, or an output padding is not smaller than its stride
     */
    // x [n, cin, h, w], weight [cin, cout, r, s], bias [cout] or null -> y [n, cout, hout, wout]
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH,
                                         int padW, int outPadH, int outPadW) {
        Shape.requireRank("convTranspose2d", "x", x, 4);
        Shape.requireRank("convTranspose2d", "weight", weight, 4);
        if (x.dim(1) != weight.dim(0)) {
            throw new IllegalArgumentException("convTranspose2d: x of shape " + Shape.toString(x.shape()) + " has "
                    + x.dim(1) + " channels but weight of shape " + Shape.toString(weight.shape()) + " expects " + weight.dim(0)
                    + " (weight is [in, out, kH, kW])");
        }
        checkBias("convTranspose2d", bias, weight.dim(1), weight);
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("convTranspose2d: stride must be >= 1 and padding >= 0, got stride "
                    + strideH + "x" + strideW + ", padding " + padH + "x" + padW);
        }
        if (outPadH < 0 || outPadW < 0 || outPadH >= strideH || outPadW >= strideW) {
            throw new IllegalArgumentException("convTranspose2d: output padding " + outPadH + "x" + outPadW
                    + " must be >= 0 and smaller than the stride " + strideH + "x" + strideW);
        }
        int n = x.dim(0), cin = x.dim(1), h = x.dim(2), w = x.dim(3);
        int cout = weight.dim(1), r = weight.dim(2), s = weight.dim(3);
        int hout = (h - 1) * strideH - 2 * padH + r + outPadH;
        int wout = (w - 1) * strideW - 2 * padW + s + outPadW;
        if (hout < 1 || wout < 1) {
            throw new IllegalArgumentException("convTranspose2d: output would be " + hout + "x" + wout + " for x of shape "
                    + Shape.toString(x.shape()) + ", weight " + Shape.toString(weight.shape()) + ", stride " + strideH + "x"
                    + strideW + ", padding " + padH + "x" + padW);
        }
        // The convolution this op is the gradient of: input [n, cout, hout, wout] -> output [n, cin, h, w].
        ConvGeometry g = new ConvGeometry(n, cout, hout, wout, cin, r, s, strideH, strideW, padH, padW);
        ConvKernels kernels = Kernels.conv();
        float[] y = BufferPool.output(g.inputSize());
        kernels.backwardInput(g, x.data(), weight.data(), y);
        int plane = hout * wout;
        if (bias != null) {
            float[] b = bias.data();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < cout; c++) {
                    int base = (i * cout + c) * plane;
                    for (int j = base; j < base + plane; j++) {
                        y[j] += b[c];
                    }
                }
            }
        }
        return Tensor.result("convTranspose2d", Tensor.Reads.INPUTS, new int[] {n, cout, hout, wout}, y, out -> {
            float[] dy = out.grad();
            boolean freshDx = x.requiresGrad() && x.grad() == null;
            float[] dx = x.gradBuffer();
            if (dx != null) {
                // a new gradient is overwritten (no pass over its zeros), one that holds values is added to
                if (freshDx) {
                    kernels.forward(g, dy, weight.data(), null, dx);
                } else {
                    kernels.forwardAccumulate(g, dy, weight.data(), dx);
                }
            }
            float[] dw = weight.gradBuffer();
            if (dw != null) {
                kernels.backwardWeight(g, dy, x.data(), dw, null);
            }
            float[] db = bias == null ? null : bias.gradBuffer();
            if (db != null) {
                for (int c = 0; c < cout; c++) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * cout + c) * plane;
                        for (int j = base; j < base + plane; j++) {
                            sum += dy[j];
                        }
                    }
                    db[c] += (float) sum;
                }
            }
        }, x, weight, bias);
    }

    private static void checkBias(String op, Tensor bias, int channels, Tensor weight) {
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != channels)) {
            throw new IllegalArgumentException(op + ": bias has shape " + Shape.toString(bias.shape()) + " but weight of shape "
                    + Shape.toString(weight.shape()) + " needs [" + channels + "]");
        }
    }
}
