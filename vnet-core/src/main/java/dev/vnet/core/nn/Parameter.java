package dev.vnet.core.nn;

import dev.vnet.core.tensor.Tensor;

/** A learnable tensor owned by a {@link Module}: a leaf that requires a gradient. */
public final class Parameter {
    private final Tensor value;

    /**
     * Wraps {@code value}, marking it as requiring a gradient.
     *
     * @param value the initial values, now owned by the parameter
     */
    public Parameter(Tensor value) {
        this.value = value.requiresGrad(true);
    }

    /** {@return the tensor: its data are the current values, its grad the accumulated gradient} */
    public Tensor value() {
        return value;
    }

    /** {@return the current values} Not a copy. */
    public float[] data() {
        return value.data();
    }

    /** {@return the accumulated gradient, or {@code null} if no backward pass reached it} */
    public float[] grad() {
        return value.grad();
    }

    /** {@return the shape} */
    public int[] shape() {
        return value.shape();
    }

    /** {@return the number of values} */
    public int size() {
        return value.size();
    }
}
