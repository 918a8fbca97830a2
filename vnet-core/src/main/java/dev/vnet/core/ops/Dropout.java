package dev.vnet.core.ops;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/** Dropout: of single values ({@link #dropout}) and of whole channels ({@link #dropout2d}). */
public final class Dropout {
    private Dropout() {}

    /**
     * Zeroes whole channels, each with probability {@code p}, and scales the kept ones by
     * {@code 1/(1−p)}, like {@code torch.nn.functional.dropout2d} in training mode. One number is drawn
     * from {@code rng} per (sample, channel), in that order, so the same seed drops the same channels.
     * With {@code p = 0} it returns {@code x} itself; with {@code p = 1} every value becomes 0.
     *
     * @param x   the input, {@code [N, C, H, W]}
     * @param p   the drop probability, in [0, 1)
     * @param rng the source of the dropped channels
     * @return a tensor of the same shape
     */
    // x [n, c, h, w] -> y [n, c, h, w]
    public static Tensor dropout2d(Tensor x, float p, Rng rng) {
        Shape.requireRank("dropout2d", "x", x, 4);
        checkProbability("dropout2d", p);
        if (p == 0f) {
            return x;
        }
        boolean[] dropped = new boolean[x.dim(0) * x.dim(1)];
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = rng.nextFloat() < p;
        }
        return dropout2d(x, p, dropped);
    }

    /**
     * Channel dropout with the dropped channels given rather than drawn: the channels where {@code dropped} is
     * true become 0, the others are scaled by {@code 1/(1−p)}. It is what {@link #dropout2d(Tensor, float, Rng)}
     * does after its draw, and lets a test replay the channels another implementation (PyTorch) dropped.
     *
     * @param x       the input, {@code [N, C, H, W]}
     * @param p       the drop probability the scale is computed from, in [0, 1]
     * @param dropped one flag per (sample, channel), {@code [N·C]} row-major
     * @return a tensor of the same shape
     */
    // x [n, c, h, w], dropped [n·c] -> y [n, c, h, w]
    static Tensor dropout2d(Tensor x, float p, boolean[] dropped) {
        Shape.requireRank("dropout2d", "x", x, 4);
        int planes = x.dim(0) * x.dim(1);
        if (dropped.length != planes) {
            throw new IllegalArgumentException("dropout2d: x of shape " + Shape.toString(x.shape()) + " has " + planes
                    + " (sample, channel) planes but the mask has " + dropped.length + " flags");
        }
        int plane = x.dim(2) * x.dim(3);
        float keepScale = p == 1f ? 0f : 1f / (1f - p);
        // scale[i]: 0 for a dropped (sample, channel), 1/(1−p) for a kept one.
        float[] scale = new float[planes];
        for (int i = 0; i < planes; i++) {
            scale[i] = dropped[i] ? 0f : keepScale;
        }
        float[] v = x.data();
        float[] y = BufferPool.output(v.length);
        for (int i = 0; i < planes; i++) {
            float s = scale[i];
            if (s != 0f) {
                for (int j = i * plane; j < (i + 1) * plane; j++) {
                    y[j] = v[j] * s;
                }
            }
        }
        return Tensor.result("dropout2d", Tensor.Reads.NEITHER, x.shape(), y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int i = 0; i < planes; i++) {
                float s = scale[i];
                if (s != 0f) {
                    for (int j = i * plane; j < (i + 1) * plane; j++) {
                        dx[j] += dy[j] * s;
                    }
                }
            }
        }, x);
    }

    /**
     * Zeroes each value with probability {@code p} and scales the kept ones by {@code 1/(1−p)} (inverted dropout),
     * like {@code torch.nn.functional.dropout} in training mode: the dropout of a classifier's feature vector. One
     * number is drawn from {@code rng} per value, in row-major order, so the same seed drops the same values. With
     * {@code p = 0} it returns {@code x} itself; with {@code p = 1} every value becomes 0.
     *
     * @param x   the input, any shape
     * @param p   the drop probability, in [0, 1]
     * @param rng the source of the dropped values
     * @return a tensor of the same shape
     */
    // x [*] -> y [*]
    public static Tensor dropout(Tensor x, float p, Rng rng) {
        checkProbability("dropout", p);
        if (p == 0f) {
            return x;
        }
        boolean[] dropped = new boolean[x.size()];
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = rng.nextFloat() < p;
        }
        return dropout(x, p, dropped);
    }

    /**
     * Dropout with the dropped values given rather than drawn: what {@link #dropout(Tensor, float, Rng)} does after
     * its draw, so a test can replay the values another implementation (PyTorch) dropped.
     *
     * @param x       the input, any shape
     * @param p       the drop probability the scale is computed from, in [0, 1]
     * @param dropped one flag per value, row-major
     * @return a tensor of the same shape
     */
    // x [*], dropped [size(x)] -> y [*]
    static Tensor dropout(Tensor x, float p, boolean[] dropped) {
        if (dropped.length != x.size()) {
            throw new IllegalArgumentException("dropout: x of shape " + Shape.toString(x.shape()) + " has " + x.size()
                    + " values but the mask has " + dropped.length + " flags");
        }
        float keepScale = p == 1f ? 0f : 1f / (1f - p);
        float[] v = x.data();
        float[] y = BufferPool.output(v.length);
        for (int i = 0; i < v.length; i++) {
            y[i] = dropped[i] ? 0f : v[i] * keepScale;
        }
        return Tensor.result("dropout", Tensor.Reads.NEITHER, x.shape(), y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int i = 0; i < dy.length; i++) {
                if (!dropped[i]) {
                    dx[i] += dy[i] * keepScale;
                }
            }
        }, x);
    }

    /**
     * Fails unless {@code p} is a probability, in [0, 1].
     *
     * @param op the op or module's name, for the error message
     * @param p  the drop probability
     * @throws IllegalArgumentException naming {@code op} and {@code p}
     */
    public static void checkProbability(String op, float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(op + ": p must be in [0, 1], got " + p);
        }
    }
}
