package dev.vnet.core.ops;

import dev.vnet.core.tensor.Tensor;

/** Reductions of a whole tensor to a scalar. Sums are accumulated in double, in index order. */
public final class Reductions {
    private Reductions() {}

    /**
     * {@return the sum of every element, as a scalar (shape {@code []})}
     *
     * @param x any tensor
     */
    // x [*] -> y []
    public static Tensor sum(Tensor x) {
        float[] v = x.data();
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return Tensor.result("sum", new int[0], new float[] {(float) s}, out -> {
            float[] dx = x.gradBuffer();
            if (dx != null) {
                float g = out.grad()[0];
                for (int i = 0; i < dx.length; i++) {
                    dx[i] += g;
                }
            }
        }, x);
    }

    /**
     * {@return the mean of every element, as a scalar (shape {@code []})}
     *
     * @param x any non-empty tensor
     */
    // x [*] -> y []
    public static Tensor mean(Tensor x) {
        float[] v = x.data();
        double s = 0;
        for (float f : v) {
            s += f;
        }
        int n = v.length;
        return Tensor.result("mean", new int[0], new float[] {(float) (s / n)}, out -> {
            float[] dx = x.gradBuffer();
            if (dx != null) {
                float g = (float) (out.grad()[0] / (double) n);
                for (int i = 0; i < dx.length; i++) {
                    dx[i] += g;
                }
            }
        }, x);
    }
}
