package dev.vnet.bench;

import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.train.bench.ConvPasses;
import dev.vnet.train.bench.ConvPasses.Pass;
import dev.vnet.train.bench.ConvShape;
import java.util.Arrays;
import java.util.Locale;

/**
 * A plain timing loop over {@link GemmConvKernels} on the 5×5 V-Net shapes, for a quick look in a few seconds
 * when the machine is momentarily quiet (JMH's {@link ConvReport} takes minutes). Prints the median of
 * {@code repeats} calls after two warm-up calls.
 *
 * <p>With {@code cpu} as third argument it runs on one thread and measures that thread's CPU time instead of
 * wall time: on a machine shared with other jobs this is the figure that other jobs disturb least (time spent
 * waiting for a core is not counted), to be compared with PyTorch at one thread measured the same way.
 *
 * <pre>java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvQuickTiming [forward|backwardInput|backwardWeight] [repeats] [cpu]</pre>
 */
public final class ConvQuickTiming {

    private ConvQuickTiming() {}

    public static void main(String[] args) {
        String pass = args.length > 0 ? args[0] : "forward";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        boolean cpu = args.length > 2 && args[2].equals("cpu");
        Pass which = switch (pass) {
            case "forward" -> Pass.FORWARD;
            case "backwardInput" -> Pass.BACKWARD_INPUT;
            case "backwardWeight" -> Pass.BACKWARD_WEIGHT;
            default -> throw new IllegalArgumentException("pass must be forward, backwardInput or backwardWeight, got " + pass);
        };
        if (cpu) {
            Parallel.setThreads(1);
        }
        java.lang.management.ThreadMXBean clock = java.lang.management.ManagementFactory.getThreadMXBean();
        ConvKernels kernels = GemmConvKernels.instance();
        System.out.printf(Locale.ROOT, "%s, %d threads, median of %d calls (%s)%n", pass, Parallel.threads(), repeats,
                cpu ? "thread CPU time" : "wall time");
        for (ConvShape shape : ConvShape.ALL.values()) {
            if (!shape.name().startsWith("conv5x5")) {
                continue;
            }
            ConvPasses passes = new ConvPasses(shape, kernels);
            double[] ms = new double[repeats];
            for (int i = -2; i < repeats; i++) {
                long t0 = cpu ? clock.getCurrentThreadCpuTime() : System.nanoTime();
                passes.run(which);
                if (i >= 0) {
                    ms[i] = ((cpu ? clock.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            double median = ms[repeats / 2];
            System.out.printf(Locale.ROOT, "%-16s %8.2f ms %7.1f GFLOP/s%n", shape.name(), median, shape.flops() / median / 1e6);
        }
    }
}
