package dev.vnet.cli;

import dev.vnet.cli.report.RunOutputs;
import dev.vnet.io.Limits;
import dev.vnet.io.data.Sample;
import dev.vnet.train.CrossValidation;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cv", mixinStandardHelpOptions = true,
        description = {"Stratified K-fold cross-validation: numbers that hold on unseen smears.",
            "Deals the images of --data to K folds (no image in two, ALL and healthy balanced); for each fold trains on "
                    + "the others (which choose the epoch and the thresholds on their own validation images) and "
                    + "evaluates the held-out fold. Writes fold-<f>/ (a run folder each), cv.json and cv.md into --out "
                    + "and prints each fold and the mean ± SD of cell F1, sensitivity and precision and image "
                    + "sensitivity, specificity and AUC."})
final class CvCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Option(names = "--folds", required = true, paramLabel = "K", description = "Number of folds, from 2.")
    int folds;

    @Option(names = "--preset", description = "${COMPLETION-CANDIDATES} (recommended unless given).")
    TrainCommand.Preset preset;

    @Option(names = "--epochs", description = "Epochs of every fold (preset's by default).")
    Integer epochs;

    @Option(names = "--seed", description = "Seed of the folds, the splits inside them, weights and augmentation.")
    Long seed;

    @Mixin
    CommonOptions.Threads threads;

    @Mixin
    CommonOptions.Out out;

    @Mixin
    CommonOptions.Quiet quiet;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws Exception {
        TrainConfig config;
        try {
            TrainConfig.Builder b = TrainConfig.preset(preset == null ? "recommended" : preset.name()).toBuilder();
            if (epochs != null) {
                b.epochs(UserError.BadValue.checked(() -> Limits.range("--epochs", epochs, 1, TrainCommand.MAX_EPOCHS)));
            }
            Optional.ofNullable(seed).ifPresent(b::seed);
            Optional.ofNullable(threads.checked()).ifPresent(b::threads);
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError.BadValue(e.getMessage());
        }
        if (folds < 2) {
            throw new UserError.BadValue("--folds must be at least 2, got " + folds);
        }
        // Every image decoded in full before anything is written: with any problem, nothing is.
        List<Sample> samples = DataFolders.samples(DataFolders.checkForTraining(data, quiet.on), data, System.err,
                quiet.on);
        if (folds > samples.size()) {
            throw new UserError.BadValue("--folds must be from 2 to the number of images in " + data + " ("
                    + samples.size() + "), got " + folds);
        }
        OutputFiles.requireEmptyOrForce(out.folder, force.allowed);
        CrossValidation.Result r;
        try {
            r = CrossValidation.run(config, samples, folds, out.folder,
                    t -> RunOutputs.addTo(t, quiet.on).quiet(quiet.on).overwrite(force.allowed));
        } catch (IllegalArgumentException | TrainingException e) {
            throw new UserError(e.getMessage());
        }
        CrossValidation.write(r, config, samples.size(), out.folder);
        System.out.print(CrossValidation.table(r));
        System.out.println("cv.md and cv.json in " + out.folder);
        return 0;
    }
}
