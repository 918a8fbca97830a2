package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/** Element-wise activation functions, with gradients matching PyTorch's (also at 0). */
public final class Activations {
    private Activations() {}

    /**
     * {@return {@code max(x, 0)}; the gradient at 0 is 0, as in PyTorch}
     *
     * @param x the input, any shape
     */
    // x [*] -> y [*]
    public static Tensor relu(Tensor x) {
        float[] v = x.data();
        float[] y = BufferPool.output(v.length);
        for (int i = 0; i < v.length; i++) {
            y[i] = Math.max(v[i], 0f); // vectorised by the JIT; NaN stays NaN as in PyTorch
        }
        return Tensor.result("relu", Tensor.Reads.INPUTS, x.shape(), y, out -> {
            float[] dx = x.gradBuffer();
            if (dx != null) {
                float[] dy = out.grad();
                // dy where x > 0, else 0 (about 3x faster than a branch)
                for (int i = 0; i < dy.length; i++) {
                    dx[i] += maskedByPositive(dy[i], v[i]);
                }
            }
        }, x);
    }

    /**
     * {@return {@code max(a + b, 0)} element by element: a residual sum and its ReLU in one op} The sum is never kept,
     * so a training step holds one tensor fewer than {@code relu(add(a, b))}, with the same values and gradients
     * (the backward masks with the output: {@code a + b > 0} exactly where the output is).
     *
     * @param a one operand
     * @param b the other operand, of the same shape
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    // a [*], b [*] -> y [*]
    public static Tensor reluOfSum(Tensor a, Tensor b) {
        Shape.requireSame("reluOfSum", a, b);
        float[] x1 = a.data(), x2 = b.data();
        float[] y = BufferPool.output(x1.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(x1[i] + x2[i], 0f);
        }
        return Tensor.result("reluOfSum", Tensor.Reads.OUTPUT, a.shape(), y, out -> {
            float[] dy = out.grad();
            float[] da = a.gradBuffer();
            float[] db = b.gradBuffer();
            for (int i = 0; i < dy.length; i++) {
                float g = maskedByPositive(dy[i], y[i]);
                if (da != null) {
                    da[i] += g;
                }
                if (db != null) {
                    db[i] += g;
                }
            }
        }, a, b);
    }

    /**
     * {@return {@code g} where {@code y > 0}, else {@code +0}} A bit mask instead of a branch: ReLU inputs have random
     * signs, which a branch would mispredict half the time, and the masked loop vectorises.
     *
     * @param g a gradient value
     * @param y the value whose sign decides
     */
    static float maskedByPositive(float g, float y) {
        int bits = Float.floatToRawIntBits(y);
        int positive = (-bits & ~bits) >> 31; // all ones iff bits > 0 as an int: y > +0 (or a NaN, whose output is NaN anyway)
        return Float.intBitsToFloat(Float.floatToRawIntBits(g) & positive);
    }

    /**
     * {@return {@code x} where {@code x > 0}, else {@code a_c · x}, with one learned slope per channel
     * ({@code weight} of shape {@code [C]}) or one shared slope ({@code weight} of shape {@code [1]}), like
     * {@code torch.nn.PReLU(num_parameters)}}
     *
     * @param x      the input, {@code [N, C, H, W]}
     * @param weight the slopes, {@code [C]} or {@code [1]}
     */
    // x [n, c, *], weight [c] or [1] -> y [n, c, *]
    public static Tensor prelu(Tensor x, Tensor weight) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("prelu: x must have a channel dimension, got shape " + Shape.toString(x.shape()));
        }
        Shape.requireRank("prelu", "weight", weight, 1);
        int channels = x.dim(1);
        int slopes = weight.dim(0);
        if (slopes != 1 && slopes != channels) {
            throw new IllegalArgumentException("prelu: weight has shape " + Shape.toString(weight.shape()) + " but x of shape "
                    + Shape.toString(x.shape()) + " needs [1] or [" + channels + "]");
        }
        int n = x.dim(0);
        int inner = x.size() / (n * channels);
        float[] v = x.data(), a = weight.data();
        float[] y = BufferPool.output(v.length);
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                float slope = a[slopes == 1 ? 0 : c];
                int base = (b * channels + c) * inner;
                for (int i = base; i < base + inner; i++) {
                    y[i] = v[i] > 0f ? v[i] : slope * v[i];
                }
            }
        }
        return Tensor.result("prelu", x.shape(), y, out -> {
            float[] dy = out.grad();
            float[] dx = x.gradBuffer();
            float[] da = weight.gradBuffer();
            double[] slopeGrad = new double[slopes];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < channels; c++) {
                    int s = slopes == 1 ? 0 : c;
                    float slope = a[s];
                    int base = (b * channels + c) * inner;
                    double acc = 0;
                    for (int i = base; i < base + inner; i++) {
                        if (v[i] > 0f) {
                            if (dx != null) {
                                dx[i] += dy[i];
                            }
                        } else {
                            if (dx != null) {
                                dx[i] += slope * dy[i];
                            }
                            acc += (double) dy[i] * v[i];
                        }
                    }
                    slopeGrad[s] += acc;
                }
            }
            if (da != null) {
                for (int s = 0; s < slopes; s++) {
                    da[s] += (float) slopeGrad[s];
                }
            }
        }, x, weight);
    }

    /**
     * {@return {@code x} where {@code x > 0}, else {@code alpha · (exp(x) − 1)}, like {@code torch.nn.ELU(alpha)}}
     *
     * @param x     the input, any shape
     * @param alpha the scale of the negative part
     */
    // x [*] -> y [*]
    public static Tensor elu(Tensor x, float alpha) {
        float[] v = x.data();
        float[] y = BufferPool.output(v.length);
        for (int i = 0; i < v.length; i++) {
            y[i] = v[i] > 0f ? v[i] : (float) (alpha * Math.expm1(v[i]));
        }
        return Tensor.result("elu", x.shape(), y, out -> {
            float[] dx = x.gradBuffer();
            if (dx != null) {
                float[] dy = out.grad();
                for (int i = 0; i < dy.length; i++) {
                    dx[i] += v[i] > 0f ? dy[i] : (float) (dy[i] * alpha * Math.exp(v[i]));
                }
            }
        }, x);
    }

    /**
     * {@return {@code 1 / (1 + exp(−x))}, computed without overflow for large |x|}
     *
     * @param x the input, any shape
     */
    // x [*] -> y [*]
    public static Tensor sigmoid(Tensor x) {
        float[] y = sigmoidInto(x.data(), BufferPool.output(x.size()));
        return Tensor.result("sigmoid", Tensor.Reads.OUTPUT, x.shape(), y, out -> {
            float[] dx = x.gradBuffer();
            if (dx != null) {
                float[] dy = out.grad();
                for (int i = 0; i < dy.length; i++) {
                    dx[i] += dy[i] * y[i] * (1f - y[i]);
                }
            }
        }, x);
    }

    /**
     * {@return the logistic function of every value, into a new array} Probabilities from logits, without the
     * graph: for evaluation and inference. Each value as {@link #sigmoid(float)}.
     *
     * @param logits any values
     */
    public static float[] sigmoid(float[] logits) {
        return sigmoidInto(logits, new float[logits.length]);
    }

    private static float[] sigmoidInto(float[] logits, float[] p) {
        for (int i = 0; i < p.length; i++) {
            p[i] = sigmoid(logits[i]);
        }
        return p;
    }

    /**
     * {@return the logistic function of one value; for {@code x < 0} as {@code e^x / (1 + e^x)} so it cannot
     * overflow}
     *
     * @param x any value
     */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
