package dev.vnet.core.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel implementations the engine uses. Autograd ops call {@link #conv()} on every call, so a
 * test or benchmark can swap the implementation with {@link #setConv(ConvKernels)}.
 *
 * <p>The default is {@link GemmConvKernels} (OpenBLAS). Where OpenBLAS's native library cannot be loaded,
 * the default is {@link NaiveConvKernels}, with a warning in the log: correct, but orders of magnitude slower.
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static volatile ConvKernels conv;

    private Kernels() {}

    /** {@return the active convolution kernels} */
    public static ConvKernels conv() {
        ConvKernels c = conv;
        if (c == null) {
            synchronized (Kernels.class) {
                if (conv == null) {
                    conv = defaultConv();
                }
                c = conv;
            }
        }
        return c;
    }

    /**
     * Replaces the active convolution kernels (for tests and benchmarks).
     *
     * @param kernels the kernels every convolution op calls from now on
     */
    public static void setConv(ConvKernels kernels) {
        if (kernels == null) {
            throw new IllegalArgumentException("conv kernels must not be null");
        }
        conv = kernels;
    }

    private static ConvKernels defaultConv() {
        if (GemmConvKernels.isAvailable()) {
            return GemmConvKernels.instance();
        }
        try {
            GemmConvKernels.instance();
        } catch (IllegalStateException e) {
            LOG.warn("Falling back to the slow reference convolution: {}", e.getMessage());
        }
        return NaiveConvKernels.INSTANCE;
    }
}
