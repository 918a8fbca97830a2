package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/** Element-wise arithmetic on tensors of the same shape, and with a scalar constant. */
public final class Elementwise {
    private Elementwise() {}

    /**
     * {@return {@code a + b}, both of the same shape (V-Net's residual sums)}
     *
     * @param a one operand
     * @param b the other operand, of the same shape
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    // a [*], b [*] -> y [*]
    public static Tensor add(Tensor a, Tensor b) {
        Shape.requireSame("add", a, b);
        float[] x1 = a.data(), x2 = b.data();
        float[] y = BufferPool.output(x1.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = x1[i] + x2[i];
        }
        return Tensor.result("add", Tensor.Reads.NEITHER, a.shape(), y, out -> {
            float[] dy = out.grad();
            addInto(a.gradBuffer(), dy);
            addInto(b.gradBuffer(), dy);
        }, a, b);
    }

    /**
     * {@return {@code a · b} element by element, both of the same shape}
     *
     * @param a one operand
     * @param b the other operand, of the same shape
     * @throws IllegalArgumentException naming both shapes if they differ
     */
    // a [*], b [*] -> y [*]
    public static Tensor mul(Tensor a, Tensor b) {
        Shape.requireSame("mul", a, b);
        float[] x1 = a.data(), x2 = b.data();
        float[] y = BufferPool.output(x1.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = x1[i] * x2[i];
        }
        return Tensor.result("mul", Tensor.Reads.INPUTS, a.shape(), y, out -> {
            float[] dy = out.grad();
            float[] da = a.gradBuffer();
            if (da != null) {
                for (int i = 0; i < dy.length; i++) {
                    da[i] += dy[i] * x2[i];
                }
            }
            float[] db = b.gradBuffer();
            if (db != null) {
                for (int i = 0; i < dy.length; i++) {
                    db[i] += dy[i] * x1[i];
                }
            }
        }, a, b);
    }

    /**
     * {@return {@code a + c} for a constant {@code c}}
     *
     * @param a the tensor
     * @param c the constant
     */
    // a [*] -> y [*]
    public static Tensor addScalar(Tensor a, float c) {
        float[] x = a.data();
        float[] y = BufferPool.output(x.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] + c;
        }
        return Tensor.result("addScalar", Tensor.Reads.NEITHER, a.shape(), y, out -> addInto(a.gradBuffer(), out.grad()), a);
    }

    /**
     * {@return {@code a · c} for a constant {@code c}}
     *
     * @param a the tensor
     * @param c the constant
     */
    // a [*] -> y [*]
    public static Tensor mulScalar(Tensor a, float c) {
        float[] x = a.data();
        float[] y = BufferPool.output(x.length);
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] * c;
        }
        return Tensor.result("mulScalar", Tensor.Reads.NEITHER, a.shape(), y, out -> {
            float[] da = a.gradBuffer();
            if (da != null) {
                float[] dy = out.grad();
                for (int i = 0; i < dy.length; i++) {
                    da[i] += dy[i] * c;
                }
            }
        }, a);
    }

    /** {@code dst += src} when {@code dst} is not {@code null} (an input that needs no gradient). */
    static void addInto(float[] dst, float[] src) {
        if (dst == null) {
            return;
        }
        for (int i = 0; i < src.length; i++) {
            dst[i] += src[i];
        }
    }
}
