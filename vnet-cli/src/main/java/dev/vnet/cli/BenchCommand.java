package dev.vnet.cli;

import com.google.gson.GsonBuilder;
import dev.vnet.core.kernels.ConvKernels;
import dev.vnet.core.kernels.GemmConvKernels;
import dev.vnet.core.kernels.OpenBlasCoreType;
import dev.vnet.core.kernels.Parallel;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.Limits;
import dev.vnet.ops.Image8;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.EpochTiming;
import dev.vnet.train.bench.PhotographInference;
import dev.vnet.train.bench.Machine;
import dev.vnet.train.bench.SyntheticEpoch;
import dev.vnet.train.bench.ConvPasses;
import dev.vnet.train.bench.ConvShape;
import dev.vnet.train.bench.RandomBatchStep;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time a V-Net training step, an inference batch and the convolution layers; print JSON on stdout.",
            "Times are medians of --repeats runs after --warmup runs, in wall-clock time (*_ms) and, for the step and "
                    + "the batch, in CPU time of the whole process (*_cpu_ms: what other jobs on a shared machine "
                    + "disturb least). Progress goes to stderr. For JMH's measurements see vnet-bench and "
                    + "docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "256", description = "Image height and width.")
    int size;

    @Option(names = "--batch", defaultValue = "4", description = "Images per batch.")
    int batch;

    @Option(names = "--in-channels", defaultValue = "1", description = "Input channels.")
    int inChannels;

    @Mixin
    CommonOptions.Threads threads;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs of each measurement.")
    int repeats;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first.")
    int warmup;

    @Option(names = "--no-conv", description = "Skip the per-layer convolution timings.")
    boolean noConv;

    @Option(names = "--no-step", description = "Skip the training step and the inference batch.")
    boolean noStep;

    @Option(names = "--photograph", paramLabel = "IMAGE", description = "Also time the point detector on this whole "
            + "photograph as segment runs it: resize to the working scale, tiles, forward passes, blending, peaks.")
    java.nio.file.Path photograph;

    @Option(names = "--model", paramLabel = "CHECKPOINT", description = "The point detector for --photograph (default: "
            + "the untrained recommended network; the time does not depend on the weights, the cells found do).")
    java.nio.file.Path model;

    @Option(names = "--epoch", paramLabel = "N", description = "Also time one epoch of the recommended preset, as train "
            + "runs it, on N synthetic photographs of ALL-IDB1's 2592×1944 camera made in memory (a fifth validate): "
            + "the epoch and its split into steps, validation and the rest.")
    Integer epochPhotographs;

    @Override
    public Integer call() {
        CommonOptions.size("--size", size);
        CommonOptions.batch("--batch", batch);
        UserError.BadValue.check(() -> {
            Limits.range("--in-channels", inChannels, 1, 64);
            Limits.range("--repeats", repeats, 1, 1_000_000);
            Limits.range("--warmup", warmup, 0, 1_000_000);
            if (epochPhotographs != null) {
                Limits.range("--epoch", epochPhotographs, 2, 10_000);
            }
            Limits.fitsHeap("a batch of " + batch + " images of " + size + "×" + size + " pixels with 16 channels",
                    Limits.product("activation bytes", batch, 16, size, size, Float.BYTES));
        });
        Integer n = threads.checked();
        if (n != null) {
            Parallel.setThreads(n);
        }
        // loads OpenBLAS, with the kernels OpenBlasCoreType chose, before anything is timed
        ConvKernels kernels = GemmConvKernels.instance();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", Parallel.threads());
        out.put("batch", batch);
        out.put("size", size);
        out.put("in_channels", inChannels);
        out.put("repeats", repeats);
        out.put("java", System.getProperty("java.version"));
        Machine machine = Machine.current();
        out.put("cpu_model", machine.cpuModel());
        out.put("processors", machine.processors());
        out.put("host", machine.host());
        if (!noStep) {
            VNetConfig config = VNetConfig.monai().toBuilder().inChannels(inChannels).build();
            RandomBatchStep step = new RandomBatchStep(config, batch, size, 42);
            out.put("parameters", step.model().parameterCount());
            Runs train = time("training step", step::train);
            out.put("train_step_ms", median(train.wall()));
            out.put("train_step_cpu_ms", median(train.cpu()));
            out.put("train_step_ms_runs", train.wall());
            Runs infer = time("inference batch", step::infer);
            out.put("infer_ms", median(infer.wall()));
            out.put("infer_cpu_ms", median(infer.cpu()));
            out.put("infer_ms_runs", infer.wall());
        }
        if (!noConv) {
            Map<String, Map<String, Double>> gflops = new LinkedHashMap<>();
            for (ConvShape shape : ConvShape.ALL.values()) {
                ConvPasses passes = new ConvPasses(shape, kernels);
                Map<String, Double> row = new LinkedHashMap<>();
                for (ConvPasses.Pass pass : ConvPasses.Pass.values()) {
                    String name = pass.name().toLowerCase(Locale.ROOT);
                    double ms = median(time(shape.name() + " " + name, () -> passes.run(pass)).wall());
                    row.put(name, Math.round(shape.flops() / ms / 1e5) / 10.0);
                }
                gflops.put(shape.name(), row);
            }
            out.put("conv_gflops", gflops);
        }
        if (photograph != null) {
            // as segment runs it (after the step and the batch, which keep nothing, as training does)
            CommonOptions.inferenceOnly();
            out.put("photograph", photograph());
        }
        if (epochPhotographs != null) {
            out.put("epoch", epoch());
        }
        out.put("openblas_coretype", OpenBlasCoreType.current());
        out.put("openblas_kernels", OpenBlasCoreType.loadedKernels());
        Runtime rt = Runtime.getRuntime();
        out.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
        spec.commandLine().getOut().println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The point detector on the whole photograph: medians of each phase over the timed runs. */
    private Map<String, Object> photograph() {
        Image8 image;
        PhotographInference detector;
        try {
            image = ImageFiles.readRgb(photograph);
            if (model == null) {
                detector = new PhotographInference(PhotographInference.untrainedRecommended(),
                        TrainConfig.recommended().detection());
            } else {
                Checkpoint c = Checkpoint.load(model);
                if (c.config().detection() == null) {
                    throw new UserError(model + " is not a point detector (preset " + c.config().preset()
                            + "): --photograph needs one, e.g. of the recommended preset");
                }
                detector = new PhotographInference(c.model(), c.config().detection());
            }
        } catch (java.io.IOException e) {
            throw new UserError("cannot read " + e.getMessage());
        }
        PhotographInference.Phases[] phases = new PhotographInference.Phases[repeats];
        int[] i = {0};
        Runs runs = time("photograph " + image.width() + "x" + image.height(), () -> {
            PhotographInference.Phases p = detector.run(image);
            if (i[0] >= warmup) {
                phases[i[0] - warmup] = p;
            }
            i[0]++;
            return p;
        });
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("file", photograph.getFileName().toString());
        row.put("width", image.width());
        row.put("height", image.height());
        row.put("tiles", phases[0].tiles());
        row.put("cells", phases[0].cells());
        row.put("total_ms", median(phases, PhotographInference.Phases::totalMs));
        row.put("total_cpu_ms", median(runs.cpu()));
        row.put("resize_ms", median(phases, PhotographInference.Phases::resizeMs));
        row.put("forward_ms", median(phases, PhotographInference.Phases::forwardMs));
        row.put("tiling_ms", median(phases, PhotographInference.Phases::tilingMs));
        row.put("decode_ms", median(phases, PhotographInference.Phases::decodeMs));
        return row;
    }

    /** One epoch of recommended on synthetic photographs: once (an epoch is long, and its steps are many runs already). */
    private Map<String, Object> epoch() {
        System.err.println("bench: an epoch of recommended on " + epochPhotographs + " synthetic 2592x1944 photographs");
        SyntheticEpoch.Result r;
        try {
            r = SyntheticEpoch.recommended(epochPhotographs, Parallel.threads()).run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the epoch's temporary run folder: " + e.getMessage(), e);
        }
        EpochTiming t = r.epoch();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("preset", "recommended");
        row.put("photographs", r.photographs());
        row.put("steps", t.steps());
        row.put("epoch_s", round(t.seconds()));
        row.put("steps_s", round(t.stepSeconds()));
        row.put("validation_s", round(t.validationSeconds()));
        row.put("other_s", round(t.otherSeconds()));
        row.put("epoch_over_steps_and_validation", Math.round(t.overhead() * 1000) / 1000.0);
        row.put("step_ms", round(t.stepSeconds() * 1000 / t.steps()));
        row.put("run_s", round(r.runMs() / 1000));
        row.put("generate_s", round(r.generateMs() / 1000));
        return row;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double median(PhotographInference.Phases[] phases,
                                 java.util.function.ToDoubleFunction<PhotographInference.Phases> phase) {
        return median(Arrays.stream(phases).mapToDouble(phase).toArray());
    }

    /** Wall-clock and process CPU milliseconds of each timed run. */
    private record Runs(double[] wall, double[] cpu) {}

    private Runs time(String what, Supplier<?> body) {
        for (int i = 0; i < warmup; i++) {
            spec.commandLine().getErr().printf(Locale.ROOT, "bench: %s, warm-up %d/%d%n", what, i + 1, warmup);
            body.get();
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            body.get();
            wall[i] = Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
            cpu[i] = Math.round((os.getProcessCpuTime() - c0) / 1e4) / 100.0;
            spec.commandLine().getErr().printf(Locale.ROOT, "bench: %s, run %d/%d: %.1f ms (CPU %.1f ms)%n", what, i + 1,
                    repeats, wall[i], cpu[i]);
        }
        return new Runs(wall, cpu);
    }

    private static double median(double[] runs) {
        double[] s = runs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
