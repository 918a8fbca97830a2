package dev.vnet.core.tensor;

import java.util.Arrays;

/** Checks and formats tensor shapes, so every op reports a bad shape the same way. */
public final class Shape {
    private Shape() {}

    /**
     * Validates that every dimension is positive; returns a defensive copy.
     *
     * @param op    the op's name, for the error message
     * @param shape the dimensions
     * @return a copy of {@code shape}
     */
    public static int[] check(String op, int... shape) {
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(op + ": shape " + toString(shape) + " has a dimension <= 0");
            }
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + toString(shape) + " has more than 2^31 elements");
            }
        }
        return shape.clone();
    }

    /**
     * {@return the number of elements of a shape}
     *
     * @param shape the dimensions
     */
    public static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * {@return {@code [4, 16, 256, 256]}}
     *
     * @param shape the dimensions
     */
    public static String toString(int... shape) {
        return Arrays.toString(shape);
    }

    /**
     * Fails unless {@code t} has exactly {@code rank} dimensions.
     *
     * @param op   the op's name, for the error message
     * @param what which argument {@code t} is, for the error message
     * @param t    the tensor
     * @param rank the expected number of dimensions
     */
    public static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have " + rank + " dimensions, got shape "
                    + toString(t.shape()));
        }
    }

    /**
     * Fails unless {@code a} and {@code b} have the same shape.
     *
     * @param op the op's name, for the error message
     * @param a  one tensor
     * @param b  the other tensor
     */
    public static void requireSame(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + toString(a.shape()) + " vs "
                    + toString(b.shape()));
        }
    }
}
