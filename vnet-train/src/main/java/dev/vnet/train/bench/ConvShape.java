package dev.vnet.train.bench;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.nn.vnet.VNetLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The convolution layers of the 2D V-Net (MONAI's layout, batch 4, 256×256 input) that the benchmarks time, read
 * from {@link VNetLayout#convLayers}: one entry per distinct size, the 1×1 convolutions left out (they are a few
 * per cent of a step). A transposed convolution is described, as everywhere in the engine, by the geometry of the
 * convolution it is the gradient of.
 *
 * @param name       benchmark parameter value, the layer's {@link VNetLayout.ConvLayer#label()}, e.g.
 *                   {@code conv5x5_32x128} (32 channels at 128×128)
 * @param geometry   the convolution's sizes
 * @param transposed whether the layer is the transposed convolution of {@code geometry}
 */
public record ConvShape(String name, ConvGeometry geometry, boolean transposed) {

    /** The batch size of every shape. */
    public static final int BATCH = 4;
    /** The input's height and width. */
    public static final int SIZE = 256;

    /** Every shape, by name, in the order the model runs them. */
    public static final Map<String, ConvShape> ALL = layers();

    private static Map<String, ConvShape> layers() {
        Map<String, ConvShape> all = new LinkedHashMap<>();
        for (VNetLayout.ConvLayer l : VNetLayout.of(VNetConfig.monai()).convLayers(BATCH, SIZE, SIZE)) {
            ConvGeometry g = l.geometry();
            if (g.r() > 1 || g.s() > 1) {
                all.putIfAbsent(l.label(), new ConvShape(l.label(), g, l.transposed()));
            }
        }
        return Collections.unmodifiableMap(all);
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
