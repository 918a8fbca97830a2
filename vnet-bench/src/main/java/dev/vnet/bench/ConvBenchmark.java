package dev.vnet.bench;

import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.train.bench.ConvPasses;
import dev.vnet.train.bench.ConvPasses.Pass;
import dev.vnet.train.bench.ConvShape;
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
 * the three passes of {@link ConvPasses}.
 * {@link ConvReport} turns the times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Djavacpp.platform=linux-x86_64", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvBenchmark {

    /** A name from {@link ConvShape#ALL} (a test holds this list to it). */
    @Param({"conv5x5_1to16x256", "down2x2_16x256", "conv5x5_32x128", "down2x2_32x128", "conv5x5_64x64",
            "down2x2_64x64", "conv5x5_128x32", "down2x2_128x32", "conv5x5_256x16", "up2x2_256x16", "conv5x5_256x32",
            "up2x2_256x32", "conv5x5_128x64", "up2x2_128x64", "conv5x5_64x128", "up2x2_64x128", "conv5x5_32x256",
            "conv5x5_32to1x256"})
    public String shape;

    /** Worker threads of the engine. */
    @Param({"2"})
    public int threads;

    /** The system property {@code vnet.conv.winograd}: {@code true} (the default plan choice) or {@code false}. */
    @Param({"true"})
    public String winograd;

    private ConvPasses passes;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        System.setProperty("vnet.conv.winograd", winograd);
        passes = new ConvPasses(ConvShape.of(shape), GemmConvKernels.instance());
    }

    /** The layer's forward pass. */
    @Benchmark
    public float[] forward() {
        return passes.run(Pass.FORWARD);
    }

    /** The gradient with respect to the layer's input. */
    @Benchmark
    public float[] backwardInput() {
        return passes.run(Pass.BACKWARD_INPUT);
    }

    /** The gradient with respect to the layer's weights (and bias). */
    @Benchmark
    public float[] backwardWeight() {
        return passes.run(Pass.BACKWARD_WEIGHT);
    }
}
