package dev.vnet.train.bench;

import dev.vnet.core.kernels.ConvGeometry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The convolution layers of the 2D V-Net (batch 4, 256×256 input) that the benchmarks time.
 * A transposed convolution is described, as everywhere in the engine, by the geometry of the
 * convolution it is the gradient of.
 *
 * @param name       benchmark parameter value, e.g. {@code conv5x5_32x128} (32 channels at 128×128)
 * @param geometry   the convolution's sizes
 * @param transposed whether the layer is the transposed convolution of {@code geometry}
 */
public record ConvShape(String name, ConvGeometry geometry, boolean transposed) {

    /** Every shape, by name, in the order of the report. */
    public static final Map<String, ConvShape> ALL = new LinkedHashMap<>();

    static {
        // n, c, h, w, k, r, s, strideH, strideW, padH, padW
        add("conv5x5_16x256", new ConvGeometry(4, 16, 256, 256, 16, 5, 5, 1, 1, 2, 2), false);
        add("conv5x5_32x128", new ConvGeometry(4, 32, 128, 128, 32, 5, 5, 1, 1, 2, 2), false);
        add("conv5x5_64x64", new ConvGeometry(4, 64, 64, 64, 64, 5, 5, 1, 1, 2, 2), false);
        add("conv5x5_128x32", new ConvGeometry(4, 128, 32, 32, 128, 5, 5, 1, 1, 2, 2), false);
        add("conv5x5_256x16", new ConvGeometry(4, 256, 16, 16, 256, 5, 5, 1, 1, 2, 2), false);
        // down transitions: 2x2 stride 2, channels doubled
        add("down2x2_16x256", new ConvGeometry(4, 16, 256, 256, 32, 2, 2, 2, 2, 0, 0), false);
        add("down2x2_128x32", new ConvGeometry(4, 128, 32, 32, 256, 2, 2, 2, 2, 0, 0), false);
        // up transitions: transposed 2x2 stride 2 (input channels -> a quarter of them at twice the size)
        add("up2x2_256x16", new ConvGeometry(4, 128, 32, 32, 256, 2, 2, 2, 2, 0, 0), true);
        add("up2x2_64x128", new ConvGeometry(4, 16, 256, 256, 64, 2, 2, 2, 2, 0, 0), true);
    }

    private static void add(String name, ConvGeometry g, boolean transposed) {
        ALL.put(name, new ConvShape(name, g, transposed));
    }

    /**
     * {@return the shape called {@code name}}
     *
     * @param name a key of {@link #ALL}
     * @throws IllegalArgumentException listing the known names if there is none of that name
     */
    public static ConvShape of(String name) {
        ConvShape s = ALL.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown conv shape '" + name + "', expected one of " + ALL.keySet());
        }
        return s;
    }

    /** {@return the floating-point operations of one pass (forward, or either backward): 2 per multiply-add} */
    public double flops() {
        return geometry.flops();
    }
}
