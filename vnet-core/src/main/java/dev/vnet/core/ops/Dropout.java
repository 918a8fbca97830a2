package dev.vnet.core.ops;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;

/** Channel dropout. */
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
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout2d: p must be in [0, 1], got " + p);
        }
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
        float[] y = new float[v.length];
        for (int i = 0; i < planes; i++) {
            float s = scale[i];
            if (s != 0f) {
                for (int j = i * plane; j < (i + 1) * plane; j++) {
                    y[j] = v[j] * s;
                }
            }
        }
        return Tensor.result("dropout2d", x.shape(), y, out -> {
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
}
