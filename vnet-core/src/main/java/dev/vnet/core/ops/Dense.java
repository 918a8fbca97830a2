package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/** The fully connected layer's arithmetic. */
public final class Dense {
    private Dense() {}

    /**
     * {@code y = x·weightᵀ + bias}, like {@code torch.nn.functional.linear(x, weight, bias)}.
     *
     * <p>Plain loops, each inner loop running along a contiguous row: a classifier's head is a few thousand
     * multiply-adds per sample, far below the point where a matrix library would pay for its calls.
     *
     * @param x      the input, {@code [N, in]}
     * @param weight the weights, {@code [out, in]} as in PyTorch
     * @param bias   {@code [out]}, or {@code null} for none
     * @return {@code y}, {@code [N, out]}
     * @throws IllegalArgumentException if the shapes disagree
     */
    // x [n, in], weight [out, in], bias [out] or null -> y [n, out]
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Shape.requireRank("linear", "x", x, 2);
        Shape.requireRank("linear", "weight", weight, 2);
        int n = x.dim(0), in = x.dim(1), out = weight.dim(0);
        if (weight.dim(1) != in) {
            throw new IllegalArgumentException("linear: x of shape " + Shape.toString(x.shape()) + " has " + in
                    + " features but weight of shape " + Shape.toString(weight.shape()) + " expects " + weight.dim(1));
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out)) {
            throw new IllegalArgumentException("linear: bias has shape " + Shape.toString(bias.shape())
                    + " but weight of shape " + Shape.toString(weight.shape()) + " needs [" + out + "]");
        }
        float[] xv = x.data(), wv = weight.data(), bv = bias == null ? null : bias.data();
        float[] y = BufferPool.output(n * out);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                float sum = 0f;
                for (int k = 0, xi = i * in, wo = o * in; k < in; k++) {
                    sum += xv[xi + k] * wv[wo + k];
                }
                y[i * out + o] = bv == null ? sum : sum + bv[o];
            }
        }
        return Tensor.result("linear", new int[] {n, out}, y, result -> {
            float[] dy = result.grad();
            float[] dx = x.gradBuffer();
            if (dx != null) {
                // dx[i, :] += Σ_o dy[i, o] · weight[o, :]
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < out; o++) {
                        float g = dy[i * out + o];
                        for (int k = 0, xi = i * in, wo = o * in; k < in; k++) {
                            dx[xi + k] += g * wv[wo + k];
                        }
                    }
                }
            }
            float[] dw = weight.gradBuffer();
            if (dw != null) {
                // dw[o, :] += Σ_i dy[i, o] · x[i, :]
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < out; o++) {
                        float g = dy[i * out + o];
                        for (int k = 0, xi = i * in, wo = o * in; k < in; k++) {
                            dw[wo + k] += g * xv[xi + k];
                        }
                    }
                }
            }
            float[] db = bias == null ? null : bias.gradBuffer();
            if (db != null) {
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < out; o++) {
                        db[o] += dy[i * out + o];
                    }
                }
            }
        }, x, weight, bias);
    }
}
