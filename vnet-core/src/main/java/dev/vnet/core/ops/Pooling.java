package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.parallel.WorkerPool;

/**
 * Spatial pooling on NCHW tensors, as {@code torch.nn.functional.max_pool2d}, {@code avg_pool2d} and
 * {@code adaptive_avg_pool2d(x, 1)} (square windows, floor mode, no dilation). Output size
 * {@code oh = (h + 2·padding − kernel) / stride + 1}, likewise {@code ow}. The (sample, channel) planes are
 * pooled in parallel on the current {@link WorkerPool}, each by itself, so the result has the same bits for any
 * thread count.
 */
public final class Pooling {
    private Pooling() {}

    /**
     * The largest value of each {@code kernel × kernel} window, like {@code F.max_pool2d(x, kernel, stride,
     * padding)}: the padding counts as −∞ (it is never the maximum of a window that holds a real value), the output
     * size is rounded down, and the gradient of each output goes to one input only, the first maximum of its window
     * in row-major order (PyTorch's index), so ties and overlapping windows give the gradient PyTorch gives. A NaN in
     * a window is its maximum (the last NaN takes the gradient), as in PyTorch's CPU kernel.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param kernel  the window's height and width, at least 1
     * @param stride  the step between windows, at least 1
     * @param padding the −∞ rows and columns on every side, at most {@code kernel / 2} (as PyTorch requires)
     * @return {@code [N, C, oh, ow]}
     * @throws IllegalArgumentException if the window does not fit the padded input or a size is out of range
     */
    // x [n, c, h, w] -> y [n, c, oh, ow]
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        int[] out = outputShape("maxPool2d", x, kernel, stride, padding);
        int h = x.dim(2), w = x.dim(3), oh = out[2], ow = out[3];
        int planes = out[0] * out[1];
        int[] rows = windows(h, oh, kernel, stride, padding), cols = windows(w, ow, kernel, stride, padding);
        float[] v = x.data();
        float[] y = BufferPool.output(planes * oh * ow);
        // argmax[o]: the index into x (whole tensor) of output o's first maximum
        int[] argmax = new int[y.length];
        WorkerPool.current().forRange(planes, (chunk, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows[2 * i], r1 = rows[2 * i + 1];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols[2 * j], c1 = cols[2 * j + 1];
                        int best = base + r0 * w + c0;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int r = r0; r < r1; r++) {
                            for (int c = c0; c < c1; c++) {
                                float value = v[base + r * w + c];
                                if (value > max || Float.isNaN(value)) {
                                    max = value;
                                    best = base + r * w + c;
                                }
                            }
                        }
                        int o = (plane * oh + i) * ow + j;
                        y[o] = max;
                        argmax[o] = best;
                    }
                }
            }
        });
        return Tensor.result("maxPool2d", out, y, result -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = result.grad();
            // a plane's maxima lie in its own input plane, so planes can be done in parallel
            WorkerPool.current().forRange(planes, (chunk, from, to) -> {
                for (int o = from * oh * ow; o < to * oh * ow; o++) {
                    dx[argmax[o]] += dy[o];
                }
            });
        }, x);
    }

    /**
     * The mean of each {@code kernel × kernel} window, like {@code F.avg_pool2d(x, kernel, stride, padding)} with its
     * defaults ({@code count_include_pad=True}, floor mode): the padding counts as zeros, so every window is divided by
     * {@code kernel²}.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param kernel  the window's height and width, at least 1
     * @param stride  the step between windows, at least 1
     * @param padding the zero rows and columns on every side, at most {@code kernel / 2} (as PyTorch requires)
     * @return {@code [N, C, oh, ow]}
     * @throws IllegalArgumentException if the window does not fit the padded input or a size is out of range
     */
    // x [n, c, h, w] -> y [n, c, oh, ow]
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        int[] out = outputShape("avgPool2d", x, kernel, stride, padding);
        int h = x.dim(2), w = x.dim(3), oh = out[2], ow = out[3];
        int planes = out[0] * out[1];
        // In floor mode a window never reaches past the padding, so it always covers kernel² values, padding included.
        float scale = 1f / (kernel * kernel);
        int[] rows = windows(h, oh, kernel, stride, padding), cols = windows(w, ow, kernel, stride, padding);
        float[] v = x.data();
        float[] y = BufferPool.output(planes * oh * ow);
        WorkerPool.current().forRange(planes, (chunk, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows[2 * i], r1 = rows[2 * i + 1];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols[2 * j], c1 = cols[2 * j + 1];
                        float sum = 0f;
                        for (int r = r0; r < r1; r++) {
                            for (int c = c0; c < c1; c++) {
                                sum += v[base + r * w + c];
                            }
                        }
                        y[(plane * oh + i) * ow + j] = sum * scale;
                    }
                }
            }
        });
        return Tensor.result("avgPool2d", out, y, result -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = result.grad();
            WorkerPool.current().forRange(planes, (chunk, from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    int base = plane * h * w;
                    for (int i = 0; i < oh; i++) {
                        int r0 = rows[2 * i], r1 = rows[2 * i + 1];
                        for (int j = 0; j < ow; j++) {
                            int c0 = cols[2 * j], c1 = cols[2 * j + 1];
                            float g = dy[(plane * oh + i) * ow + j] * scale;
                            for (int r = r0; r < r1; r++) {
                                for (int c = c0; c < c1; c++) {
                                    dx[base + r * w + c] += g;
                                }
                            }
                        }
                    }
                }
            });
        }, x);
    }

    /**
     * The mean of each channel's plane, like {@code F.adaptive_avg_pool2d(x, 1).flatten(1)}: the global average
     * pooling between a convolutional trunk and a linear head.
     *
     * @param x the input, {@code [N, C, H, W]}
     * @return {@code [N, C]}
     */
    // x [n, c, h, w] -> y [n, c]
    public static Tensor globalAvgPool2d(Tensor x) {
        Shape.requireRank("globalAvgPool2d", "x", x, 4);
        int n = x.dim(0), c = x.dim(1), plane = x.dim(2) * x.dim(3);
        float[] v = x.data();
        float[] y = BufferPool.output(n * c);
        for (int p = 0; p < y.length; p++) {
            double sum = 0;
            for (int j = p * plane; j < (p + 1) * plane; j++) {
                sum += v[j];
            }
            y[p] = (float) (sum / plane);
        }
        return Tensor.result("globalAvgPool2d", new int[] {n, c}, y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int p = 0; p < dy.length; p++) {
                float g = dy[p] / plane;
                for (int j = p * plane; j < (p + 1) * plane; j++) {
                    dx[j] += g;
                }
            }
        }, x);
    }

    /**
     * Checks a pooling window against PyTorch's rules: kernel and stride at least 1, padding between 0 and
     * {@code kernel / 2}.
     *
     * @param op      the op or module's name, for the error message
     * @param kernel  the window's height and width
     * @param stride  the step between windows
     * @param padding the border on every side
     * @throws IllegalArgumentException naming the value out of range
     */
    public static void checkWindow(String op, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(op + ": kernel and stride must be >= 1 and padding >= 0, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
        if (padding > kernel / 2) {
            throw new IllegalArgumentException(op + ": padding " + padding + " must be at most half the kernel "
                    + kernel + " (" + kernel / 2 + "), as in PyTorch");
        }
    }

    /** {@return {@code [n, c, oh, ow]}} after checking the input's rank and the window against PyTorch's rules. */
    private static int[] outputShape(String op, Tensor x, int kernel, int stride, int padding) {
        Shape.requireRank(op, "x", x, 4);
        checkWindow(op, kernel, stride, padding);
        int h = x.dim(2), w = x.dim(3);
        if (h + 2 * padding < kernel || w + 2 * padding < kernel) {
            throw new IllegalArgumentException(op + ": kernel " + kernel + " is larger than x of shape "
                    + Shape.toString(x.shape()) + " with padding " + padding);
        }
        return new int[] {x.dim(0), x.dim(1), (h + 2 * padding - kernel) / stride + 1, (w + 2 * padding - kernel) / stride + 1};
    }

    /**
     * {@return the windows along one dimension, clipped to the input: {@code [start₀, end₀, start₁, end₁, ...]}} The
     * part of a window outside {@code [0, size)} is padding.
     */
    // -> [2·count]
    private static int[] windows(int size, int count, int kernel, int stride, int padding) {
        int[] bounds = new int[2 * count];
        for (int i = 0; i < count; i++) {
            bounds[2 * i] = Math.max(i * stride - padding, 0);
            bounds[2 * i + 1] = Math.min(i * stride - padding + kernel, size);
        }
        return bounds;
    }
}
