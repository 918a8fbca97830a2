package dev.vnet.bench;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.core.tensor.Rng;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one call of this project's convolution kernels ({@link GemmConvKernels}) on the V-Net's layer shapes:
 * the forward pass, the gradient with respect to the input and the gradient with respect to the weights.
 * For a transposed layer, "forward" is the transposed convolution itself (the kernels' backward-input
 * computation after zeroing the output), and its two gradients are the kernels' forward and backward-weight.
 * {@link ConvReport} turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Djavacpp.platform=linux-x86_64"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {

    /** A name from {@link ConvShape#ALL}. */
    @Param({"conv5x5_16x256", "conv5x5_32x128", "conv5x5_64x64", "conv5x5_128x32", "conv5x5_256x16",
            "down2x2_16x256", "down2x2_128x32", "up2x2_256x16", "up2x2_64x128"})
    public String shape;

    /** Worker threads of the engine. */
    @Param({"2"})
    public int threads;

    private ConvShape spec;
    private ConvKernels kernels;
    private float[] x, w, bias, y, dy, dx, dw, dbias;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        kernels = GemmConvKernels.instance();
        spec = ConvShape.of(shape);
        ConvGeometry g = spec.geometry();
        Rng rng = new Rng(42);
        // named as for the convolution of `g`: x is its input, y its output
        x = random(rng, g.inputSize());
        y = random(rng, g.outputSize());
        w = random(rng, g.weightSize());
        bias = spec.transposed() ? null : random(rng, g.k());
        dy = random(rng, g.outputSize());
        dx = new float[g.inputSize()];
        dw = new float[g.weightSize()];
        dbias = spec.transposed() ? null : new float[g.k()];
    }

    /** The layer's forward pass. */
    @Benchmark
    public float[] forward() {
        ConvGeometry g = spec.geometry();
        if (spec.transposed()) {
            Arrays.fill(dx, 0f);
            kernels.backwardInput(g, y, w, dx);
            return dx;
        }
        kernels.forward(g, x, w, bias, y);
        return y;
    }

    /** The gradient with respect to the layer's input. */
    @Benchmark
    public float[] backwardInput() {
        ConvGeometry g = spec.geometry();
        if (spec.transposed()) {
            kernels.forward(g, x, w, null, dy);
            return dy;
        }
        kernels.backwardInput(g, dy, w, dx);
        return dx;
    }

    /** The gradient with respect to the layer's weights (and bias). */
    @Benchmark
    public float[] backwardWeight() {
        ConvGeometry g = spec.geometry();
        kernels.backwardWeight(g, x, dy, dw, dbias);
        return dw;
    }

    static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextFloat() * 2f - 1f;
        }
        return a;
    }
}
