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

    /**
     * Lets inference keep the Winograd weight transforms of up to {@code megabytes} of weights between calls (for the
     * V-Net, about 121 MB keeps them all): forwards without a graph then skip the transform, and the narrow deep
     * layers take the Winograd plan at fewer positions (a 2592×1944 photograph 1.1× faster end to end; 256 channels
     * at 41×31, 1 thread: 2.6×). Every call still checks the weights against the values the transform was made
     * from, so results stay those of the weights as they are. For processes that only infer ({@code vnet segment},
     * {@code serve} and {@code eval} set 256); a training process leaves it at 0, the default, so that validation
     * does not raise its peak memory. The system property {@code vnet.conv.winograd.keep-mb} wins over this.
     *
     * @param megabytes the most memory kept transforms may take (their copies of the weights included); 0 keeps none
     * @throws IllegalArgumentException if {@code megabytes} is negative
     */
    public static void keepWeightTransforms(long megabytes) {
        if (megabytes < 0) {
            throw new IllegalArgumentException("keepWeightTransforms: megabytes must be >= 0, got " + megabytes);
        }
        KeptWeightTransforms.defaultCapMb = megabytes;
        if (megabytes == 0) {
            KeptWeightTransforms.clear();
        }
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
