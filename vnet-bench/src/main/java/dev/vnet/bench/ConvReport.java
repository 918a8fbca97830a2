package dev.vnet.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.core.kernels.ConvGeometry;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.train.bench.ConvShape;
import dev.vnet.train.bench.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ConvBenchmark} and {@link Nd4jConvBenchmark} and prints, per V-Net shape, the median time and
 * GFLOP/s of this project's kernels and of ND4J's conv2d, plus PyTorch's from a JSON file written by
 * {@code tools/bench/torch_conv.py} when given, as a Markdown table with ratios.
 *
 * <pre>
 * java -cp vnet-bench/target/benchmarks.jar dev.vnet.bench.ConvReport [--quick] [--threads N] [--torch torch.json]
 *      [--shapes conv5x5_32x256,conv5x5_32x128] [--passes forward,backwardInput] [--winograd true,false] [--ours-only]
 * </pre>
 * {@code --quick}: 2 warm-up and 3 measured iterations of 1 s (default 3 and 5). {@code --winograd true,false}
 * times this project's kernels with each value of the system property {@code vnet.conv.winograd} (in one JMH
 * run, shape by shape) and adds a table of the two side by side; {@code --ours-only} leaves ND4J out;
 * {@code --passes} times only the passes named.
 */
public final class ConvReport {

    private ConvReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        int threads = 2;
        Path torch = null;
        String shapes = null;
        List<String> winograd = List.of("true");
        boolean oursOnly = false;
        String passes = "forward|backwardInput|backwardWeight";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--torch" -> torch = Path.of(args[++i]);
                case "--shapes" -> shapes = args[++i];
                case "--winograd" -> winograd = List.of(args[++i].split(","));
                case "--ours-only" -> oursOnly = true;
                case "--passes" -> passes = args[++i].replace(',', '|');
                case "--list-shapes" -> {
                    System.out.println(shapesJson());
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "', expected --quick, --threads N, --torch FILE, --shapes A,B, --passes A,B, --winograd true,false,"
                        + " --ours-only"
                        + " or --list-shapes");
            }
        }
        if (!oursOnly) {
            checkNd4jComputesTheSameConvolution();
        }
        List<String> ours = new ArrayList<>();
        List<String> nd4j = new ArrayList<>();
        for (ConvShape s : ConvShape.ALL.values()) {
            if (shapes == null || List.of(shapes.split(",")).contains(s.name())) {
                ours.add(s.name());
                if (!s.transposed() && !oursOnly) {
                    nd4j.add(s.name());
                }
            }
        }
        Map<String, Double> ms = new HashMap<>();
        run(ConvBenchmark.class, ours, threads, quick, winograd, passes, ms);
        if (!nd4j.isEmpty()) {
            run(Nd4jConvBenchmark.class, nd4j, threads, quick, List.of(), passes, ms);
        }
        Map<String, Double> torchMs = torch == null ? Map.of() : readTorch(torch, "wall");
        System.out.println();
        System.out.println(table(ours, ms, torchMs, threads));
        if (winograd.size() > 1) {
            System.out.println(winogradTable(ours, ms, threads, winograd));
        }
    }

    /**
     * The shapes as JSON, {@code name: [n, c, h, w, k, r, s, stride, pad, transposed]}, for
     * {@code tools/bench/torch_conv.py}, so that PyTorch times exactly the layers {@link ConvShape} reads from the
     * model's layout.
     */
    static String shapesJson() {
        StringBuilder sb = new StringBuilder("{");
        for (ConvShape s : ConvShape.ALL.values()) {
            var g = s.geometry();
            sb.append(sb.length() > 1 ? ",\n " : "\n ").append(String.format(Locale.ROOT,
                    "\"%s\": [%d, %d, %d, %d, %d, %d, %d, %d, %d, %s]", s.name(), g.n(), g.c(), g.h(), g.w(), g.k(),
                    g.r(), g.s(), g.strideH(), g.padH(), s.transposed()));
        }
        return sb.append("\n}").toString();
    }

    private static void run(Class<?> benchmark, List<String> shapes, int threads, boolean quick, List<String> winograd,
                            String passes, Map<String, Double> ms) throws RunnerException {
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(Pattern.quote(benchmark.getName()) + "\\.(" + passes + ")$")
                .param("shape", shapes.toArray(String[]::new))
                .param("threads", String.valueOf(threads));
        if (!winograd.isEmpty()) {
            opt.param("winograd", winograd.toArray(String[]::new));
        }
        if (quick) {
            opt.warmupIterations(2).measurementIterations(3)
                    .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(opt.build()).run();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String who = benchmark == ConvBenchmark.class ? "ours" : "nd4j";
            String plan = r.getParams().getParam("winograd");
            if (plan != null && !plan.equals(winograd.get(0))) {
                who = "ours-winograd=" + plan;
            }
            double median = r.getPrimaryResult().getStatistics().getPercentile(50);
            ms.put(who + "/" + method + "/" + r.getParams().getParam("shape"), median);
        }
    }

    /** Markdown table: per shape and pass, median ms and GFLOP/s of each implementation, and ratios to ours. */
    static String table(List<String> shapes, Map<String, Double> ms, Map<String, Double> torchMs, int threads) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Convolution kernels, batch 4, %d threads; median ms (GFLOP/s)%n%n", threads));
        sb.append("| shape | pass | ours | ND4J conv2d | PyTorch | ours / ND4J | ours / PyTorch |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (String shape : shapes) {
            ConvShape s = ConvShape.of(shape);
            for (String pass : List.of("forward", "backwardInput", "backwardWeight", "backward")) {
                double flops = pass.equals("backward") ? 2 * s.flops() : s.flops();
                Double o = pass.equals("backward")
                        ? sum(ms.get("ours/backwardInput/" + shape), ms.get("ours/backwardWeight/" + shape))
                        : ms.get("ours/" + pass + "/" + shape);
                Double n = ms.get("nd4j/" + pass + "/" + shape);
                Double t = torchMs.get(pass + "/" + shape);
                if (o == null && n == null && t == null) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", shape, pass,
                        cell(o, flops), cell(n, flops), cell(t, flops), ratio(n, o), ratio(t, o)));
            }
        }
        sb.append("\nratio = other's time / our time (> 1: ours is faster). 'backward' = input + weight gradients.\n");
        return sb.toString();
    }

    /**
     * Markdown table of this project's kernels with each value of {@code vnet.conv.winograd} (the first one is
     * "ours" of the main table): median ms (GFLOP/s) and the time of each other value over the first's.
     */
    static String winogradTable(List<String> shapes, Map<String, Double> ms, int threads, List<String> values) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Winograd plan on and off, batch 4, %d threads; median ms (GFLOP/s)%n%n",
                threads));
        sb.append("| shape | pass |");
        for (String v : values) {
            sb.append(" vnet.conv.winograd=").append(v).append(" |");
        }
        for (String v : values.subList(1, values.size())) {
            sb.append(" ").append(v).append(" / ").append(values.get(0)).append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(2 * values.size() - 1)).append("\n");
        for (String shape : shapes) {
            ConvShape s = ConvShape.of(shape);
            for (String pass : List.of("forward", "backwardInput", "backwardWeight")) {
                Double first = ms.get("ours/" + pass + "/" + shape);
                if (first == null) {
                    continue;
                }
                sb.append("| ").append(shape).append(" | ").append(pass).append(" | ").append(cell(first, s.flops()));
                for (String v : values.subList(1, values.size())) {
                    sb.append(" | ").append(cell(ms.get("ours-winograd=" + v + "/" + pass + "/" + shape), s.flops()));
                }
                for (String v : values.subList(1, values.size())) {
                    sb.append(" | ").append(ratio(ms.get("ours-winograd=" + v + "/" + pass + "/" + shape), first));
                }
                sb.append(" |\n");
            }
        }
        sb.append("\nratio = time with the other value / time with the first (> 1: the first is faster).\n");
        return sb.toString();
    }

    private static Double sum(Double a, Double b) {
        return a == null || b == null ? null : a + b;
    }

    private static String cell(Double ms, double flops) {
        return ms == null ? "–" : String.format(Locale.ROOT, "%.2f (%.0f)", ms, flops / (ms * 1e-3) / 1e9);
    }

    private static String ratio(Double other, Double ours) {
        return other == null || ours == null ? "–" : String.format(Locale.ROOT, "%.2f", other / ours);
    }

    /**
     * Reads {@code {"machine": {...}, "forward/conv5x5_32x256": 12.3, ...}} (median milliseconds) as written by
     * torch_conv.py, refusing a file measured on another machine or with another clock ({@code "wall"} or
     * {@code "thread CPU"}, torch_conv.py's {@code --cpu}).
     */
    static Map<String, Double> readTorch(Path file, String expectedClock) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        JsonObject m = o.getAsJsonObject("machine");
        if (m == null) {
            throw new IllegalArgumentException(file + " names no machine: write it again with tools/bench/torch_conv.py "
                    + "--json on this machine");
        }
        Machine.current().requireSame(new Machine(m.get("cpu_model").getAsString(), m.get("processors").getAsInt(),
                m.get("host").getAsString()), file.toString());
        String clock = o.has("clock") ? o.get("clock").getAsString() : "wall";
        if (!clock.equals(expectedClock)) {
            throw new IllegalArgumentException(file + " holds " + clock + " times, expected " + expectedClock
                    + " times: write it again with tools/bench/torch_conv.py --json"
                    + (expectedClock.equals("wall") ? " without --cpu" : " --threads 1 --cpu"));
        }
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!e.getKey().equals("machine") && !e.getKey().equals("clock")) {
                out.put(e.getKey(), e.getValue().getAsDouble());
            }
        }
        return out;
    }

    /** Makes sure the peer computes the same convolution (argument order, weight layout) before timing it. */
    private static void checkNd4jComputesTheSameConvolution() {
        ConvGeometry g = new ConvGeometry(2, 3, 9, 8, 4, 5, 5, 1, 1, 2, 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, g.n(), g.c(), g.h(), g.w());
        INDArray w = Nd4j.rand(DataType.FLOAT, g.k(), g.c(), g.r(), g.s());
        INDArray b = Nd4j.rand(DataType.FLOAT, g.k());
        INDArray y = Nd4j.create(DataType.FLOAT, g.n(), g.k(), g.p(), g.q());
        Nd4j.getExecutioner().exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y)
                .addIntegerArguments(g.r(), g.s(), 1, 1, g.padH(), g.padW(), 1, 1, 0, 0, 1).build());
        float[] ours = new float[g.outputSize()];
        GemmConvKernels.instance().forward(g, x.data().asFloat(), w.data().asFloat(), b.data().asFloat(), ours);
        float[] theirs = y.data().asFloat();
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
        }
        if (maxDiff > 1e-3) {
            throw new IllegalStateException("ND4J's conv2d differs from ours by up to " + maxDiff + " on " + g
                    + ": the benchmark would compare different computations");
        }
    }
}
