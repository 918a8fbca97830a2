package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.parallel.WorkerPool;

/**
 * Batch normalisation over the channels of NCHW tensors, as {@code torch.nn.functional.batch_norm}.
 *
 * <p>Each channel is handled by one thread, and its statistics are summed in double in a fixed order,
 * so results do not depend on the thread count.
 */
public final class Normalization {
    private Normalization() {}

    /** PyTorch's default momentum of the running statistics. */
    public static final float DEFAULT_MOMENTUM = 0.1f;
    /** PyTorch's default epsilon added to the variance. */
    public static final float DEFAULT_EPS = 1e-5f;

    /**
     * Batch normalisation of each channel: {@code y = (x − μ) / √(σ² + eps) · weight + bias}.
     *
     * <p>In training mode μ and σ² are the batch's mean and biased variance over N, H, W, and, when
     * given, the running statistics are updated in place with
     * {@code running = (1 − momentum) · running + momentum · batch}, using the UNBIASED variance
     * (×M/(M−1), M = N·H·W) as PyTorch does. In evaluation mode μ and σ² are the running statistics
     * and nothing is updated.
     *
     * @param x           the input, {@code [N, C, H, W]}
     * @param weight      [C] scale, or {@code null} for 1
     * @param bias        [C] shift, or {@code null} for 0
     * @param runningMean [C], updated in training mode; required in evaluation mode
     * @param runningVar  [C], updated in training mode; required in evaluation mode
     * @param training    {@code true} to normalise with the batch statistics and update the running ones,
     *                    {@code false} to use the running ones
     * @param momentum    the weight of the batch statistics in the running averages
     * @param eps         added to the variance before the square root
     * @return the normalised tensor, of {@code x}'s shape
     * @throws IllegalArgumentException if a shape does not match x's channel count, or training with one value per channel
     */
    // x [n, c, h, w], weight/bias/runningMean/runningVar [c] -> y [n, c, h, w]
    public static Tensor batchNorm2d(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                     boolean training, float momentum, float eps) {
        return batchNorm2d(x, weight, bias, runningMean, runningVar, training, momentum, eps, false);
    }

    /**
     * {@return {@code max(batchNorm2d(...), 0)}: batch normalisation and ReLU in one op} The normalised tensor is never
     * kept, so a training step holds one tensor fewer than {@code relu(batchNorm2d(...))}, with the same values and
     * gradients: the backward masks the output gradient where the output is positive, then is batch norm's.
     *
     * @param x           the input, {@code [N, C, H, W]}
     * @param weight      [C] scale, or {@code null} for 1
     * @param bias        [C] shift, or {@code null} for 0
     * @param runningMean [C], updated in training mode; required in evaluation mode
     * @param runningVar  [C], updated in training mode; required in evaluation mode
     * @param training    as in {@link #batchNorm2d(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, float, float)}
     * @param momentum    the weight of the batch statistics in the running averages
     * @param eps         added to the variance before the square root
     * @throws IllegalArgumentException if a shape does not match x's channel count, or training with one value per channel
     */
    // x [n, c, h, w], weight/bias/runningMean/runningVar [c] -> y [n, c, h, w]
    public static Tensor batchNormRelu2d(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                         boolean training, float momentum, float eps) {
        return batchNorm2d(x, weight, bias, runningMean, runningVar, training, momentum, eps, true);
    }

    private static Tensor batchNorm2d(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                      boolean training, float momentum, float eps, boolean relu) {
        Shape.requireRank("batchNorm2d", "x", x, 4);
        int n = x.dim(0), channels = x.dim(1), plane = x.dim(2) * x.dim(3);
        checkChannels("weight", weight, x);
        checkChannels("bias", bias, x);
        checkChannels("running_mean", runningMean, x);
        checkChannels("running_var", runningVar, x);
        int m = n * plane;
        if (training && m < 2) {
            throw new IllegalArgumentException("batchNorm2d: training needs more than one value per channel, x has shape "
                    + Shape.toString(x.shape()));
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("batchNorm2d: evaluation mode needs running_mean and running_var");
        }
        float[] v = x.data();
        float[] w = weight == null ? null : weight.data();
        float[] b = bias == null ? null : bias.data();
        float[] y = BufferPool.output(v.length);
        // Per channel: the mean and 1/sqrt(var + eps) that normalised it (the backward needs them).
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        // and the affine map y = x·scale + shift it applied, from which the backward recomputes ReLU's sign
        float[] scales = new float[channels];
        float[] shifts = new float[channels];
        WorkerPool.current().forRange(channels, (chunk, from, to) -> {
            for (int c = from; c < to; c++) {
                double mu;
                double var;
                if (training) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * plane;
                        s += sum(v, base, base + plane);
                    }
                    mu = s / m;
                    // Two passes: E[(x − μ)²] keeps its precision where E[x²] − μ² would cancel.
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * plane;
                        ss += sumSquaredDeviations(v, base, base + plane, mu);
                    }
                    var = ss / m;
                    if (runningMean != null) {
                        float[] rm = runningMean.data();
                        rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mu);
                    }
                    if (runningVar != null) {
                        float[] rv = runningVar.data();
                        rv[c] = (float) ((1 - momentum) * rv[c] + momentum * (ss / (m - 1)));
                    }
                } else {
                    mu = runningMean.data()[c];
                    var = runningVar.data()[c];
                }
                double is = 1.0 / Math.sqrt(var + eps);
                mean[c] = (float) mu;
                invStd[c] = (float) is;
                float scale = (float) (is * (w == null ? 1.0 : w[c]));
                float shift = (float) ((b == null ? 0.0 : b[c]) - mu * is * (w == null ? 1.0 : w[c]));
                scales[c] = scale;
                shifts[c] = shift;
                for (int i = 0; i < n; i++) {
                    int base = (i * channels + c) * plane;
                    if (relu) {
                        for (int j = base; j < base + plane; j++) {
                            y[j] = Math.max(v[j] * scale + shift, 0f);
                        }
                    } else {
                        for (int j = base; j < base + plane; j++) {
                            y[j] = v[j] * scale + shift;
                        }
                    }
                }
            }
        });
        // The backward reads x, not y: ReLU's sign is recomputed from x with the forward's own float operations, so
        // y's array is free once its consumers are done with it (see Tensor.Reads).
        return Tensor.result(relu ? "batchNormRelu2d" : "batchNorm2d", Tensor.Reads.INPUTS, x.shape(), y, out -> {
            float[] dy = out.grad();
            float[] dx = x.gradBuffer();
            float[] dw = weight == null ? null : weight.gradBuffer();
            float[] db = bias == null ? null : bias.gradBuffer();
            WorkerPool.current().forRange(channels, (chunk, from, to) -> {
                for (int c = from; c < to; c++) {
                    float mu = mean[c];
                    float is = invStd[c];
                    if (relu) {
                        // the output's gradient is read by this closure only (the graph drops it after), so it is
                        // masked in place: kept where the forward's x·scale + shift was above 0
                        float scale = scales[c];
                        float shift = shifts[c];
                        for (int i = 0; i < n; i++) {
                            int base = (i * channels + c) * plane;
                            for (int j = base; j < base + plane; j++) {
                                dy[j] = Activations.maskedByPositive(dy[j], v[j] * scale + shift);
                            }
                        }
                    }
                    double sumDy = 0;
                    double sumDyX = 0;
                    double[] sums = new double[2];
                    for (int i = 0; i < n; i++) {
                        int base = (i * channels + c) * plane;
                        sumAndDot(dy, v, base, base + plane, sums);
                        sumDy += sums[0];
                        sumDyX += sums[1];
                    }
                    // Σ dy·x̂ = (Σ dy·x − μ·Σ dy)·invstd; in double the subtraction loses nothing that matters.
                    double sumDyXhat = (sumDyX - (double) mu * sumDy) * is;
                    if (dw != null) {
                        dw[c] += (float) sumDyXhat;
                    }
                    if (db != null) {
                        db[c] += (float) sumDy;
                    }
                    if (dx == null) {
                        continue;
                    }
                    float gamma = w == null ? 1f : w[c];
                    if (training) {
                        // dx = γ·invstd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)): μ and σ² depend on every x of the channel.
                        float k = gamma * is;
                        float meanDy = (float) (sumDy / m);
                        float meanDyXhat = (float) (sumDyXhat / m);
                        for (int i = 0; i < n; i++) {
                            int base = (i * channels + c) * plane;
                            for (int j = base; j < base + plane; j++) {
                                float xhat = (v[j] - mu) * is;
                                dx[j] += k * (dy[j] - meanDy - xhat * meanDyXhat);
                            }
                        }
                    } else {
                        float k = gamma * is;
                        for (int i = 0; i < n; i++) {
                            int base = (i * channels + c) * plane;
                            for (int j = base; j < base + plane; j++) {
                                dx[j] += k * dy[j];
                            }
                        }
                    }
                }
            });
        }, x, weight, bias);
    }

    // Sums in double over [from, to) with four accumulators, so consecutive additions do not wait for each
    // other; the order is fixed, so the result is the same on every run.
    private static double sum(float[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            s0 += a[j];
            s1 += a[j + 1];
            s2 += a[j + 2];
            s3 += a[j + 3];
        }
        for (; j < to; j++) {
            s0 += a[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumSquaredDeviations(float[] a, int from, int to, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            double d0 = a[j] - mean, d1 = a[j + 1] - mean, d2 = a[j + 2] - mean, d3 = a[j + 3] - mean;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < to; j++) {
            double d = a[j] - mean;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    // out[0] = Σ a, out[1] = Σ a·b over [from, to), in one pass over both arrays.
    private static void sumAndDot(float[] a, float[] b, int from, int to, double[] out) {
        double s0 = 0, s1 = 0, d0 = 0, d1 = 0;
        int j = from;
        for (; j + 1 < to; j += 2) {
            s0 += a[j];
            s1 += a[j + 1];
            d0 += (double) a[j] * b[j];
            d1 += (double) a[j + 1] * b[j + 1];
        }
        for (; j < to; j++) {
            s0 += a[j];
            d0 += (double) a[j] * b[j];
        }
        out[0] = s0 + s1;
        out[1] = d0 + d1;
    }

    private static void checkChannels(String what, Tensor t, Tensor x) {
        if (t != null && (t.rank() != 1 || t.dim(0) != x.dim(1))) {
            throw new IllegalArgumentException("batchNorm2d: " + what + " has shape " + Shape.toString(t.shape())
                    + " but x of shape " + Shape.toString(x.shape()) + " needs [" + x.dim(1) + "]");
        }
    }
}
