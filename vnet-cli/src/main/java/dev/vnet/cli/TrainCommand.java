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
import dev.vnet.train.TrainingException;
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
    CommonOptions.Run run;

    /** The presets of {@link TrainConfig#preset}. */
    enum Preset { paper, recommended, demo }

    @Option(names = "--preset", description = "${COMPLETION-CANDIDATES} (paper unless given).")
    Preset preset;

    @Option(names = "--epochs", description = "Epochs (preset's by default).")
    Integer epochs;

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

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        Path out = run.out.folder;
        if (run.resume) {
            if (preset != null || epochs != null || batch != null || lr != null || size != null || seed != null
                    || threads.count != null) {
                throw new UserError("--resume continues with the configuration saved in " + out.resolve("config.json")
                        + "; drop --preset, --epochs, --batch, --lr, --size, --seed and --threads");
            }
            config = run.savedConfig(json -> {
                TrainConfig c = TrainConfig.fromJson(json);
                Limits.threads("threads", c.threads());
                return c;
            }, " (a run resumes with the configuration it started with: resume it on a machine like the one it was "
                    + "made on)");
        } else {
            config = build();
        }
        // The data are checked in full before the run folder is touched: with any problem nothing is written.
        DatasetScan<AllIdb1Sample> scan = DataFolders.checkForTraining(data, run.quiet.on);
        List<Sample> samples = DataFolders.samples(scan, data, System.err, run.quiet.on);
        List<Path> files = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            files.add(s.imagePath());
            files.add(s.coordinatesPath());
        }
        DataFingerprint fingerprint = DataFingerprint.of(data, files);
        TrainResult r;
        try {
            r = run.setUp(RunOutputs.addTo(Trainer.builder(config, samples, out), run.quiet.on), fingerprint,
                    recommendedBudget(config)).build().run();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (TrainingException e) {
            throw new UserError(e.getMessage());
        }
        if (r.final_() != null) {
            System.out.printf(Locale.ROOT, "best epoch %d: validation Dice %.4f, IoU %.4f, cell F1 %.4f, pixel accuracy %.4f "
                            + "(all-background %.4f); report in %s%n", r.bestEpoch(), r.final_().pixels().dice(),
                    r.final_().pixels().iou(), r.final_().cells().f1(), r.final_().pixels().pixelAccuracy(),
                    r.final_().pixels().backgroundAccuracy(), out.resolve("report.md"));
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

    /** The wall-clock budget of the run without {@code --time-limit}: {@link #RECOMMENDED_MINUTES} for recommended. */
    private java.time.Duration recommendedBudget(TrainConfig config) {
        return "recommended".equals(config.preset()) && epochs == null
                ? java.time.Duration.ofMinutes(RECOMMENDED_MINUTES) : null;
    }
}
