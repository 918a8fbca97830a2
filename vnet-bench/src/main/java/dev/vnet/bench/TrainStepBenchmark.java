package dev.vnet.bench;

import dev.vnet.core.kernels.Parallel;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.train.bench.RandomBatchStep;
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
 * A whole V-Net training step (forward, Dice + BCE, backward, Adam) and an inference batch, on MONAI's 2D layout
 * with one input channel, as {@link RandomBatchStep} runs them for {@code vnet bench}; PyTorch's side is
 * {@code tools/bench/torch_vnet_step.py}. One call is one step, so single-shot iterations of a few calls each.
 *
 * <pre>java -jar vnet-bench/target/benchmarks.jar TrainStepBenchmark -p size=256 -p batch=4</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Djavacpp.platform=linux-x86_64", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TrainStepBenchmark {

    /** Image height and width. */
    @Param({"256"})
    public int size;

    /** Images per batch. */
    @Param({"4"})
    public int batch;

    /** Worker threads of the engine. */
    @Param({"2"})
    public int threads;

    private RandomBatchStep step;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        step = new RandomBatchStep(VNetConfig.monai(), batch, size, 42);
    }

    /** One training step; returns the loss so that nothing is optimised away. */
    @Benchmark
    public float trainStep() {
        return step.train();
    }

    /** One inference batch (evaluation mode, no graph). */
    @Benchmark
    public Tensor inferBatch() {
        return step.infer();
    }
}
