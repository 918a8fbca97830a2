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
 * <p>With {@code winograd} among the arguments, every shape is timed twice, call by call in turns: with the
 * Winograd plan (system property {@code vnet.conv.winograd=true}) and without it ({@code false}), so that both
 * see the same load; {@code winograd=4,2,false} times those values of the property instead.
 *
 * <pre>java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvQuickTiming [forward|backwardInput|backwardWeight] [repeats] [cpu|wall] [winograd[=A,B,...]]</pre>
 */
public final class ConvQuickTiming {

    private ConvQuickTiming() {}

    public static void main(String[] args) {
        String pass = args.length > 0 ? args[0] : "forward";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        boolean cpu = args.length > 2 && args[2].equals("cpu");
        String[] settings = Arrays.stream(args).filter(a -> a.startsWith("winograd"))
                .map(a -> a.contains("=") ? a.substring(a.indexOf('=') + 1).split(",") : new String[] {"true", "false"})
                .findFirst().orElse(new String[] {null});
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
            double[][] ms = new double[settings.length][repeats];
            for (int i = -2; i < repeats; i++) {
                for (int v = 0; v < settings.length; v++) {
                    if (settings[v] != null) {
                        System.setProperty("vnet.conv.winograd", settings[v]);
                    }
                    long t0 = cpu ? clock.getCurrentThreadCpuTime() : System.nanoTime();
                    passes.run(which);
                    if (i >= 0) {
                        ms[v][i] = ((cpu ? clock.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
                    }
                }
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", shape.name()));
            for (int v = 0; v < settings.length; v++) {
                Arrays.sort(ms[v]);
                double median = ms[v][repeats / 2];
                line.append(String.format(Locale.ROOT, " %s%8.2f ms %7.1f GFLOP/s",
                        settings[v] == null ? "" : "winograd=" + settings[v] + " ", median, shape.flops() / median / 1e6));
            }
            System.out.println(line);
        }
    }
}
