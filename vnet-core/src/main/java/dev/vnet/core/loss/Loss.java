package dev.vnet.core.loss;

import dev.vnet.core.tensor.Tensor;

/** A segmentation loss: one logit per pixel against a target mask of the same shape, reduced to a scalar. */
public interface Loss {

    /**
     * {@return the loss as a scalar tensor that back-propagates into {@code logits}}
     *
     * @param logits the model's raw outputs, any shape (usually [N, 1, H, W])
     * @param target the true mask, same shape, values in [0, 1]
     * @throws IllegalArgumentException if the shapes differ
     * @throws NonFiniteLossException   if an input or the result is NaN or infinite
     */
    Tensor forward(Tensor logits, Tensor target);

    /** {@return a short name used in error messages and logs ("BCE", "Dice", "Dice+BCE")} */
    String name();
}
