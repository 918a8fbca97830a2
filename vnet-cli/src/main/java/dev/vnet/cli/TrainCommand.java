package dev.vnet.cli;

import dev.vnet.cli.report.RunOutputs;
import dev.vnet.io.Limits;
import dev.vnet.io.DataFingerprint;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.io.data.Sample;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import dev.vnet.train.RunFolder;
import dev.vnet.train.TrainingException;
import dev.vnet.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a V-Net on an ALL-IDB1-layout folder and write a run folder (config, metrics, plots, "
                + "figures, checkpoints, report).")
final class TrainCommand implements Callable<Integer> {
    /** The most epochs an option may ask for. */
    static final int MAX_EPOCHS = 1_000_000;

    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Mixin
    CommonOptions.Out out;

    /** The presets of {@link TrainConfig#preset}. */
    enum Preset { paper, recommended, demo }

    @Option(names = "--preset", description = "${COMPLETION-CANDIDATES} (paper unless given).")
    Preset preset;

    @Option(names = "--epochs", description = "Epochs (preset's by default).")
    Integer epochs;

    @Mixin
    CommonOptions.TimeLimit timeLimit;

    /** The time budget of {@code recommended} when neither {@code --epochs} nor {@code --time-limit} is given. */
    static final int RECOMMENDED_MINUTES = 26;

    @Option(names = "--batch", description = "Batch size.")
    Integer batch;

    @Option(names = "--lr", description = "Adam learning rate.")
    Double lr;

    @Option(names = "--size", description = "Square input size in pixels (recommended: the side of its training patches "
            + "at the working scale).")
    Integer size;

    @Option(names = "--seed", description = "Seed of the split, weights, shuffling and augmentation.")
    Long seed;

    @Mixin
    CommonOptions.Threads threads;

    @Option(names = "--resume", description = "Continue the run in --out from its last completed epoch, with its saved configuration.")
    boolean resume;

    @Mixin
    CommonOptions.Force force;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        if (resume) {
            if (preset != null || epochs != null || batch != null || lr != null || size != null || seed != null
                    || threads.count != null) {
                throw new UserError("--resume continues with the configuration saved in " + out.folder.resolve("config.json")
                        + "; drop --preset, --epochs, --batch, --lr, --size, --seed and --threads");
            }
            Path saved = out.folder.resolve("config.json");
            if (!Files.isRegularFile(saved)) {
                throw new UserError("cannot resume: " + saved + " does not exist (no run was started in " + out.folder
                        + "; start one without --resume)");
            }
            try {
                config = TrainConfig.fromJson(Files.readString(saved, StandardCharsets.UTF_8));
                Limits.threads("threads", config.threads());
            } catch (IllegalArgumentException e) {
                throw new UserError(saved + ": " + e.getMessage() + " (a run resumes with the configuration it started "
                        + "with: resume it on a machine like the one it was made on)");
            }
        } else {
            config = build();
        }
        // The data are checked in full before the run folder is touched: with any problem nothing is written.
        DatasetScan<AllIdb1Sample> scan = DataFolders.checkForTraining(data, quiet.on);
        List<Sample> samples = DataFolders.samples(scan, data, System.err, quiet.on);
        List<Path> files = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            files.add(s.imagePath());
            files.add(s.coordinatesPath());
        }
        DataFingerprint fingerprint = DataFingerprint.of(data, files);
        boolean resuming = resume;
        if (resume && !new RunFolder(out.folder).completedAnEpoch()) {
            // Nothing of it is worth keeping: the run starts over with its saved configuration.
            System.err.println("the run in " + out.folder + " never completed an epoch: starting it over with its "
                    + "saved configuration");
            resuming = false;
        }
        java.time.Duration budget = timeBudget(config);
        TrainResult r;
        try {
            r = Interrupts.savingWeights(RunOutputs.addTo(Trainer.builder(config, samples, out.folder), quiet.on))
                    .quiet(quiet.on).listener(new TrainingListener() {
                        @Override
                        public void runStarted(RunStart start) throws IOException {
                            start.folder().recordData(fingerprint, start.resumed());
                        }
                    }).resume(resuming).overwrite(force.allowed).timeBudget(budget).build().run();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (TrainingException e) {
            throw new UserError(e.getMessage());
        }
        if (r.final_() != null) {
            System.out.printf(Locale.ROOT, "best epoch %d: validation Dice %.4f, IoU %.4f, cell F1 %.4f, pixel accuracy %.4f "
                            + "(all-background %.4f); report in %s%n", r.bestEpoch(), r.final_().pixels().dice(),
                    r.final_().pixels().iou(), r.final_().cells().f1(), r.final_().pixels().pixelAccuracy(),
                    r.final_().pixels().backgroundAccuracy(), out.folder.resolve("report.md"));
        }
        return 0;
    }

    private TrainConfig build() {
        try {
            TrainConfig.Builder b = TrainConfig.preset(preset == null ? "paper" : preset.name()).toBuilder();
            if (epochs != null) {
                b.epochs(UserError.BadValue.checked(() -> Limits.range("--epochs", epochs, 1, MAX_EPOCHS)));
            }
            if (batch != null) {
                b.batchSize(CommonOptions.batch("--batch", batch));
            }
            if (lr != null) {
                b.learningRate(lr);
            }
            if (size != null) {
                b.size(CommonOptions.size("--size", size));
            }
            if (seed != null) {
                b.seed(seed);
            }
            Integer n = threads.checked();
            if (n != null) {
                b.threads(n);
            }
            TrainConfig config = b.build();
            Checkpoint.checkSizes(config, config.batchSize());
            return config;
        } catch (IllegalArgumentException e) {
            throw new UserError.BadValue(e.getMessage());
        }
    }

    /** The wall-clock budget of the run: {@code --time-limit}, else {@link #RECOMMENDED_MINUTES} for recommended. */
    private java.time.Duration timeBudget(TrainConfig config) {
        return timeLimit.budget("recommended".equals(config.preset()) && epochs == null
                ? java.time.Duration.ofMinutes(RECOMMENDED_MINUTES) : null);
    }
}
