package dev.vnet.bench;

import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.train.bench.ConvShape;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
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
 * The peer: ND4J 1.0.0-M2.1's own convolution (libnd4j's {@code conv2d} and {@code conv2d_bp} custom ops,
 * NCHW input, {@code [k, c, r, s]} weights) on the same shapes as {@link ConvBenchmark}. Inputs and outputs are
 * allocated once; each call runs the op into the preallocated outputs. {@code conv2d_bp} computes the
 * gradients to the input, the weights and the bias in one call, so it compares with the sum of this project's
 * two backward kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Djavacpp.platform=linux-x86_64", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Nd4jConvBenchmark {

    /** A name from {@link ConvShape#ALL}, plain convolutions only (a test holds this list to it). */
    @Param({"conv5x5_1to16x256", "down2x2_16x256", "conv5x5_32x128", "down2x2_32x128", "conv5x5_64x64",
            "down2x2_64x64", "conv5x5_128x32", "down2x2_128x32", "conv5x5_256x16", "conv5x5_256x32", "conv5x5_128x64",
            "conv5x5_64x128", "conv5x5_32x256", "conv5x5_32to1x256"})
    public String shape;

    /** Threads of libnd4j (its OpenMP pool and its BLAS). */
    @Param({"2"})
    public int threads;

    private DynamicCustomOp forwardOp;
    private DynamicCustomOp backwardOp;
    private INDArray y;
    private INDArray dx;

    @Setup(Level.Trial)
    public void setUp() {
        ConvShape spec = ConvShape.of(shape);
        if (spec.transposed()) {
            throw new IllegalArgumentException("Nd4jConvBenchmark times plain convolutions only, not " + shape);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        ConvGeometry g = spec.geometry();
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, g.n(), g.c(), g.h(), g.w());
        INDArray w = Nd4j.rand(DataType.FLOAT, g.k(), g.c(), g.r(), g.s());
        INDArray b = Nd4j.rand(DataType.FLOAT, g.k());
        INDArray dy = Nd4j.rand(DataType.FLOAT, g.n(), g.k(), g.p(), g.q());
        y = Nd4j.create(DataType.FLOAT, g.n(), g.k(), g.p(), g.q());
        dx = Nd4j.create(DataType.FLOAT, g.n(), g.c(), g.h(), g.w());
        INDArray dw = Nd4j.create(DataType.FLOAT, g.k(), g.c(), g.r(), g.s());
        INDArray db = Nd4j.create(DataType.FLOAT, g.k());
        // kH, kW, sH, sW, pH, pW, dH, dW, same-mode (0: explicit padding), data format (0: NCHW), weight format (1: [oC, iC, kH, kW])
        int[] iArgs = {g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW(), 1, 1, 0, 0, 1};
        forwardOp = DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y).addIntegerArguments(iArgs).build();
        backwardOp = DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, dy).addOutputs(dx, dw, db)
                .addIntegerArguments(iArgs).build();
    }

    /** {@code y = conv2d(x, w) + b}. */
    @Benchmark
    public INDArray forward() {
        Nd4j.getExecutioner().exec(forwardOp);
        return y;
    }

    /** Gradients to the input, the weights and the bias, in one op. */
    @Benchmark
    public INDArray backward() {
        Nd4j.getExecutioner().exec(backwardOp);
        return dx;
    }
}
