package dev.vnet.cli;

import dev.vnet.cli.report.RunOutputs;
import dev.vnet.io.Limits;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.Evaluator;
import dev.vnet.train.Metrics;
import dev.vnet.train.Report;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The bundled default, end to end: synthetic smears -> train -> evaluate -> segment.",
            "Trains the demo preset on synthetic smears, evaluates it on held-out synthetic images and segments a few "
                    + "of them; under a minute on 2 cores."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-run", description = "Output folder.")
    Path out;

    @Mixin
    CommonOptions.Force force;

    @Option(names = "--epochs", description = "Epochs (the demo preset's by default).")
    Integer epochs;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        // Every option is checked before anything is written.
        TrainConfig.Builder b = TrainConfig.demo().toBuilder();
        if (epochs != null) {
            b.epochs(UserError.BadValue.checked(() -> Limits.range("--epochs", epochs, 1, TrainCommand.MAX_EPOCHS)));
        }
        Integer n = threads.checked();
        if (n != null) {
            b.threads(n);
        }
        TrainConfig config;
        try {
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError.BadValue(e.getMessage());
        }
        OutputFiles.lockEmptyOrForce(out, force.allowed, "vnet demo");
        Path trainData = out.resolve("data");
        Path testData = out.resolve("test");
        SmearConfig base = SmearConfig.defaults().withSize(320, 240).withBlasts(2, 8);
        SyntheticDataset.write(trainData, base.withImageCount(36).withSeed(1));
        SyntheticDataset.write(testData, base.withImageCount(12).withSeed(1001));
        System.out.println("synthetic smears: 36 for training/validation in " + trainData + ", 12 held out in " + testData);
        Path run = out.resolve("run");
        List<Sample> samples = DataFolders.load(trainData, System.err, quiet.on);
        TrainResult r = RunOutputs.addTo(Trainer.builder(config, samples, run), quiet.on).quiet(quiet.on).overwrite(force.allowed)
                .saveOnInterrupt(true).build().run();
        double trainSecs = (System.nanoTime() - t0) / 1e9;

        Path best = run.resolve("checkpoints").resolve("best.safetensors");
        Checkpoint c = Checkpoint.load(best);
        List<Sample> test = DataFolders.load(testData, System.err, quiet.on);
        Metrics m = Evaluator.evaluate(c, test);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", best.toString());
        extra.put("data", testData.toString());
        Report.writeJson(out.resolve("test_report.json"), m, extra);
        Report.writeMarkdown(out.resolve("test_report.md"), "Held-out synthetic test set", m,
                test.size() + " synthetic images never seen in training (seed 1001)");

        Segmenter seg = new Segmenter(c.model(), c.config());
        Path segOut = out.resolve("segment");
        int shown = 0;
        for (Sample s : test) {
            if (shown == 3) {
                break;
            }
            Segmenter.Result sr = seg.segmentFile(s.imagePath(), segOut);
            System.out.println("segmented " + s.name() + ": " + sr.count() + " blasts found, " + s.centres().size() + " true");
            shown++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%nvalidation (best epoch %d): Dice %.3f  IoU %.3f  cell F1 %.3f%n", r.bestEpoch(),
                r.final_().pixels().dice(), r.final_().pixels().iou(), r.final_().cells().f1());
        System.out.printf(Locale.ROOT, "held-out test (%d images): Dice %.3f  IoU %.3f  pixel accuracy %.4f (all-background "
                        + "%.4f)  cell F1 %.3f  image sensitivity %.2f specificity %.2f%n", test.size(), m.pixels().dice(),
                m.pixels().iou(), m.pixels().pixelAccuracy(), m.pixels().backgroundAccuracy(), m.cells().f1(),
                m.image().sensitivity(), m.image().specificity());
        System.out.printf(Locale.ROOT, "time: %.0f s (training %.0f s) on %d thread(s); everything is in %s%n", secs,
                trainSecs, config.threads(), out);
        return Files.exists(out.resolve("test_report.json")) ? 0 : 1;
    }
}
