package dev.vnet.core.loss;

import dev.vnet.core.tensor.Shape;

/**
 * A loss met a NaN or an infinity, in its inputs or in its result. Training stops on it rather than
 * letting the NaN spread into every weight; the message names the loss and where the value was.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what was not finite, and where
     */
    public NonFiniteLossException(String message) {
        super(message);
    }

    /**
     * Fails at the first NaN or infinity of {@code values}, e.g.
     * {@code "BCE: logits contain NaN at index 123 (n=0, c=0, h=3, w=5) of shape [2, 1, 8, 16]"}.
     */
    static void requireFinite(String loss, String what, float[] values, int[] shape) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                throw new NonFiniteLossException(loss + ": " + what + " contain " + describe(v) + " at index " + i
                        + coordinates(i, shape) + " of shape " + Shape.toString(shape));
            }
        }
    }

    /** Fails if the loss value itself is NaN or infinite; {@code detail} says what it was computed from. */
    static void requireFiniteResult(String loss, double value, String detail) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new NonFiniteLossException(loss + ": the loss is " + describe(value) + " (" + detail + ")");
        }
    }

    private static String describe(double v) {
        return Double.isNaN(v) ? "NaN" : (v > 0 ? "+Infinity" : "-Infinity");
    }

    private static String coordinates(int index, int[] shape) {
        if (shape.length != 4) {
            return "";
        }
        int w = index % shape[3];
        int rest = index / shape[3];
        int h = rest % shape[2];
        rest /= shape[2];
        int c = rest % shape[1];
        int n = rest / shape[1];
        return " (n=" + n + ", c=" + c + ", h=" + h + ", w=" + w + ")";
    }
}
