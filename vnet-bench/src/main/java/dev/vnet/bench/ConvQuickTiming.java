package dev.vnet.bench;

import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.train.bench.ConvPasses;
import dev.vnet.train.bench.ConvPasses.Pass;
import dev.vnet.train.bench.ConvShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

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
 * <p>With {@code torch=FILE} (the JSON of {@code tools/bench/torch_conv.py --json FILE}, with {@code --threads 1 --cpu}
 * for {@code cpu}, else wall-clock times), each line ends with PyTorch's median for the same pass and shape and the
 * ratio PyTorch / ours of the first setting (above 1: ours is faster). The file must come from this machine.
 *
 * <p>The Winograd transforms take their Vector API code only when the JVM has the module, as {@code ./vnet} runs it:
 * <pre>java --add-modules jdk.incubator.vector -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvQuickTiming [forward|backwardInput|backwardWeight] [repeats] [cpu|wall] [winograd[=A,B,...]] [torch=FILE]</pre>
 */
public final class ConvQuickTiming {

    private ConvQuickTiming() {}

    public static void main(String[] args) throws IOException {
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
        Map<String, Double> torch = Map.of();
        for (String a : args) {
            if (a.startsWith("torch=")) {
                torch = ConvReport.readTorch(Path.of(a.substring("torch=".length())), cpu ? "thread CPU" : "wall");
            }
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
            double first = 0;
            for (int v = 0; v < settings.length; v++) {
                Arrays.sort(ms[v]);
                double median = ms[v][repeats / 2];
                first = v == 0 ? median : first;
                line.append(String.format(Locale.ROOT, " %s%8.2f ms %7.1f GFLOP/s",
                        settings[v] == null ? "" : "winograd=" + settings[v] + " ", median, shape.flops() / median / 1e6));
            }
            Double theirs = torch.get(pass + "/" + shape.name());
            if (theirs != null) {
                line.append(String.format(Locale.ROOT, " | PyTorch %8.2f ms %7.1f GFLOP/s | PyTorch / ours %5.2f",
                        theirs, shape.flops() / theirs / 1e6, theirs / first));
            }
            System.out.println(line);
        }
    }
}
