package dev.vnet.train.bench;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.tensor.Rng;
import java.util.Arrays;

/**
 * The three passes of one V-Net convolution layer on random operands allocated once, as the benchmarks time
 * them: the forward pass, the gradient with respect to the input and the gradient with respect to the weights.
 * For a transposed layer, "forward" is the transposed convolution itself (the kernels' backward-input
 * computation after zeroing the output), and its two gradients are the kernels' forward and backward-weight.
 */
public final class ConvPasses {
    /** The passes, in the order of the reports. */
    public enum Pass {
        /** The layer's output from its input. */
        FORWARD,
        /** The gradient with respect to the layer's input. */
        BACKWARD_INPUT,
        /** The gradient with respect to the layer's weights (and bias). */
        BACKWARD_WEIGHT
    }

    private final ConvShape shape;
    private final ConvKernels kernels;
    // named as for the convolution of `shape.geometry()`: x is its input, y its output
    private final float[] x, w, bias, y, dy, dx, dw, dbias;

    /**
     * Operands for {@code shape}, drawn from a fixed seed.
     *
     * @param shape   the layer
     * @param kernels the implementation to run
     */
    public ConvPasses(ConvShape shape, ConvKernels kernels) {
        this.shape = shape;
        this.kernels = kernels;
        ConvGeometry g = shape.geometry();
        Rng rng = new Rng(42);
        x = random(rng, g.inputSize());
        y = random(rng, g.outputSize());
        w = random(rng, g.weightSize());
        bias = shape.transposed() ? null : random(rng, g.k());
        dy = random(rng, g.outputSize());
        dx = new float[g.inputSize()];
        dw = new float[g.weightSize()];
        dbias = shape.transposed() ? null : new float[g.k()];
    }

    /**
     * Runs one pass.
     *
     * @param pass which pass
     * @return the array the pass wrote (for a benchmark's black hole)
     */
    public float[] run(Pass pass) {
        ConvGeometry g = shape.geometry();
        switch (pass) {
            case FORWARD -> {
                if (shape.transposed()) {
                    Arrays.fill(dx, 0f);
                    kernels.backwardInput(g, y, w, dx);
                    return dx;
                }
                kernels.forward(g, x, w, bias, y);
                return y;
            }
            case BACKWARD_INPUT -> {
                if (shape.transposed()) {
                    kernels.forward(g, x, w, null, dy);
                    return dy;
                }
                kernels.backwardInput(g, dy, w, dx);
                return dx;
            }
            default -> {
                kernels.backwardWeight(g, x, dy, dw, dbias);
                return dw;
            }
        }
    }

    /**
     * {@return {@code n} values uniform in [-1, 1)}
     *
     * @param rng the random source
     * @param n   how many
     */
    public static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }
}
