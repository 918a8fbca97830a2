package dev.vnet.core.kernels;

/**
 * The kernel implementations the engine uses. Autograd ops call {@link #conv()} on every call, so a
 * test or benchmark can swap the implementation with {@link #setConv(ConvKernels)}.
 */
public final class Kernels {
    private static volatile ConvKernels conv = NaiveConvKernels.INSTANCE;

    private Kernels() {}

    /** The active convolution kernels. */
    public static ConvKernels conv() {
        return conv;
    }

    /** Replaces the active convolution kernels (for tests and benchmarks). */
    public static void setConv(ConvKernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("conv kernels must not be null");
        }
        conv = kernels;
    }
}
