package dev.vnet.core.nn;

import dev.vnet.core.tensor.Tensor;

/** A learnable tensor owned by a {@link Module}: a leaf that requires a gradient. */
public final class Parameter {
    private final Tensor value;

    /** Wraps {@code value}, marking it as requiring a gradient. */
    public Parameter(Tensor value) {
        this.value = value.requiresGrad(true);
    }

    /** The tensor: its data are the current values, its grad the accumulated gradient. */
    public Tensor value() {
        return value;
    }

    /** The current values. Not a copy. */
    public float[] data() {
        return value.data();
    }

    /** The accumulated gradient, or {@code null} if no backward pass reached it. */
    public float[] grad() {
        return value.grad();
    }

    /** The shape. */
    public int[] shape() {
        return value.shape();
    }

    /** The number of values. */
    public int size() {
        return value.size();
    }
}
