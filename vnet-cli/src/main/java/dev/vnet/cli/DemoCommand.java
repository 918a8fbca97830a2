package dev.vnet.cli;

import dev.vnet.cli.report.RunOutputs;
import dev.vnet.io.Limits;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.Camera;
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
import dev.vnet.train.detect.DetectionReport;
import dev.vnet.train.detect.DetectionValidation;
import dev.vnet.train.detect.ThresholdChoice;
import dev.vnet.train.detect.WorkingScale;
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
            "Trains the demo preset (a small point detector) on synthetic smears like ALL-IDB1's at a quarter of "
                    + "their magnification, evaluates it on held-out smears and segments a few of them; about two "
                    + "minutes on 2 cores."})
final class DemoCommand implements Callable<Integer> {
    /** Smears for training and validation (seed 1); the preset validates on a fifth of them. */
    static final int TRAIN_IMAGES = 40;

    /** Smears held out (seed 1001): never used for training, validation, the epoch or the thresholds. */
    static final int TEST_IMAGES = 20;

    /** Held-out smears segmented into files. */
    static final int SEGMENTED = 3;

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

    /**
     * {@return the demo's smears: ALL-IDB1's 1712×1368 camera at the magnification where a blast is the demo preset's
     * diameter (1/4: 428×342, blasts of 28 px), with the real crowding, clusters and hard negatives}
     */
    static SmearConfig smears() {
        double scale = TrainConfig.DEMO_BLAST_DIAMETER / WorkingScale.ALL_IDB1_BLAST_DIAMETER;
        return SmearConfig.realistic(Camera.CAMERA_1712.scaled(scale));
    }

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
        SmearConfig base = smears();
        SyntheticDataset.write(trainData, base.withImageCount(TRAIN_IMAGES).withSeed(1));
        SyntheticDataset.write(testData, base.withImageCount(TEST_IMAGES).withSeed(1001));
        System.out.printf(Locale.ROOT, "synthetic smears of %dx%d (camera 1712 at 1/4, blasts about %.0f px): %d for "
                        + "training/validation in %s, %d held out in %s%n", base.width(), base.height(),
                TrainConfig.DEMO_BLAST_DIAMETER, TRAIN_IMAGES, trainData, TEST_IMAGES, testData);

        Path run = out.resolve("run");
        List<Sample> samples = DataFolders.load(trainData, System.err, quiet.on);
        TrainResult r = Interrupts.savingWeights(RunOutputs.addTo(Trainer.builder(config, samples, run), quiet.on))
                .quiet(quiet.on).overwrite(force.allowed).build().run();
        double trainSecs = (System.nanoTime() - t0) / 1e9;

        Path best = run.resolve("checkpoints").resolve("best.safetensors");
        Checkpoint c = Checkpoint.load(best);
        List<Sample> test = DataFolders.load(testData, System.err, quiet.on);
        DetectionValidation.Outcome o = Evaluator.evaluateDetector(c, test);
        Metrics m = o.metrics();
        ThresholdChoice t = o.choice();
        String heldOut = test.size() + " synthetic smears never used for training, validation, the epoch or the "
                + "thresholds (seed 1001), at the thresholds chosen on validation";
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", best.toString());
        extra.put("data", testData.toString());
        extra.putAll(DetectionReport.summary(t));
        Report.writeJson(out.resolve("test_report.json"), m, extra);
        Report.writeMarkdown(out.resolve("test_report.md"), "Held-out synthetic test set", m, heldOut);
        DetectionReport.write(out, t, heldOut);

        Segmenter seg = new Segmenter(c.model(), c.config());
        Path segOut = out.resolve("segment");
        for (Sample s : test.subList(0, Math.min(SEGMENTED, test.size()))) {
            Segmenter.Result sr = seg.segmentFile(s.imagePath(), segOut);
            System.out.println("segmented " + s.name() + ": " + sr.count() + " blasts found, " + s.centres().size() + " true");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%nvalidation (%d smears; chose the epoch, %d, and the thresholds): cell F1 %.3f%n",
                r.final_().images(), r.bestEpoch(), r.final_().cells().f1());
        System.out.printf(Locale.ROOT, "held-out test (%d smears, %d blasts): cell F1 %.3f  sensitivity %.3f  precision "
                        + "%.3f (%d found, %d false alarms)%n", test.size(), m.cells().truePositive()
                        + m.cells().falseNegative(), m.cells().f1(), m.cells().sensitivity(), m.cells().precision(),
                m.cells().truePositive(), m.cells().falsePositive());
        System.out.printf(Locale.ROOT, "  images: sensitivity %.2f  specificity %.2f  ROC AUC %.3f;  touching pairs "
                        + "separated %d of %d%n", m.image().sensitivity(), m.image().specificity(), t.imageAuc(),
                t.separatedPairs(), t.touchingPairs());
        System.out.printf(Locale.ROOT, "time: %.0f s (data and training %.0f s) on %d thread(s); everything is in %s%n",
                secs, trainSecs, config.threads(), out);
        return Files.exists(out.resolve("test_report.json")) ? 0 : 1;
    }
}
