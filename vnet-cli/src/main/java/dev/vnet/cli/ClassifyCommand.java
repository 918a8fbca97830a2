package dev.vnet.cli;

import dev.vnet.cli.report.EpochProgress;
import dev.vnet.io.DataFingerprint;
import dev.vnet.io.Limits;
import dev.vnet.ops.Image8;
import dev.vnet.train.TrainingException;
import dev.vnet.train.classify.BinaryScores;
import dev.vnet.train.classify.CellClassifier;
import dev.vnet.train.classify.CellCrop;
import dev.vnet.train.classify.CellCrops;
import dev.vnet.train.classify.CellScorer;
import dev.vnet.train.classify.ClassifierConfig;
import dev.vnet.train.classify.ClassifierCrossValidation;
import dev.vnet.train.classify.ClassifierReports;
import dev.vnet.train.classify.ClassifierTrainer;
import dev.vnet.train.classify.TwoStageComparison;
import dev.vnet.io.AtomicFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vnet classify}: the cell classifier's commands, each a subcommand. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Is it a blast? A small residual CNN that scores single-cell crops (docs/classification.md).",
            "--data is an ALL-IDB2-layout folder (img/ImXXX_Y.tif, Y = 1 blast; vnet synth --camera 2592 --crops "
                    + "writes one) or an ALL-IDB1-layout folder (im/, xyc/), from which crops are cut around labelled "
                    + "blasts and around unlabelled white cells."},
        subcommands = {ClassifyCommand.Train.class, ClassifyCommand.Eval.class, ClassifyCommand.Predict.class,
            ClassifyCommand.Cv.class, ClassifyCommand.Compare.class, ClassifyCommand.Describe.class})
final class ClassifyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: train, eval, predict, cv, compare or describe (try 'vnet classify --help')");
    }

    /** The options of the network, shared by {@code train}, {@code cv} and {@code describe}. */
    static final class Network {
        @Option(names = "--size", description = "Side in pixels every crop is resized to (default ${DEFAULT-VALUE}).",
                defaultValue = "64")
        int size;

        @Option(names = "--width", description = "Channels of the first stage, doubled at each further stage.",
                defaultValue = "16")
        int width;

        @Option(names = "--stages", description = "Residual stages.", defaultValue = "3")
        int stages;

        @Option(names = "--blocks", description = "Residual blocks per stage.", defaultValue = "1")
        int blocks;

        /** {@return {@code b} with this network; exit code 2 if a value is out of range} */
        ClassifierConfig applyTo(ClassifierConfig b) {
            try {
                return new ClassifierConfig(size, width, stages, blocks, b.dropout(), b.epochs(), b.batchSize(),
                        b.learningRate(), b.weightDecay(), b.labelSmoothing(), b.validationFraction(), b.augment(),
                        b.seed(), b.threads());
            } catch (IllegalArgumentException e) {
                throw new UserError.BadValue(e.getMessage());
            }
        }
    }

    /** The options of the network and of its training, shared by {@code train} and {@code cv}. */
    static final class Training {
        @Mixin
        Network network;

        @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).", defaultValue = "30")
        int epochs;

        @Option(names = "--batch", description = "Crops per step.", defaultValue = "16")
        int batch;

        @Option(names = "--lr", description = "Adam learning rate.", defaultValue = "0.002")
        double lr;

        @Option(names = "--seed", description = "Seed of the split, folds, weights and augmentation.", defaultValue = "1")
        long seed;

        @Option(names = "--no-augment", description = "Train on the crops as they are (no flips, turns, stain shifts).")
        boolean noAugment;

        @Mixin
        CommonOptions.Threads threads;

        ClassifierConfig config(double validationFraction) {
            Integer n = threads.checked();
            ClassifierConfig d = ClassifierConfig.defaults();
            try {
                return network.applyTo(new ClassifierConfig(d.inputSize(), d.baseWidth(), d.stages(),
                        d.blocksPerStage(), d.dropout(),
                        UserError.BadValue.checked(() -> Limits.range("--epochs", epochs, 1, TrainCommand.MAX_EPOCHS)),
                        CommonOptions.batch("--batch", batch), lr, d.weightDecay(), d.labelSmoothing(),
                        validationFraction, !noAugment, seed, n == null ? d.threads() : n));
            } catch (IllegalArgumentException e) {
                throw new UserError.BadValue(e.getMessage());
            }
        }
    }

    /** {@code --blast-diameter}, for crops cut from ALL-IDB1-layout smears. */
    static final class BlastDiameter {
        @Option(names = "--blast-diameter", paramLabel = "PX", defaultValue = "112", description = "For an "
                + "ALL-IDB1-layout --data: the blast diameter in the smears' pixels (112 on ALL-IDB1); crops of "
                + "2.3 diameters are cut around each cell, as ALL-IDB2's 257 px.")
        double px;
    }

    static List<CellCrop> crops(Path data, int side, double blastDiameter, boolean quiet) throws IOException {
        if (!Files.exists(data)) {
            throw new UserError("--data " + data + " does not exist");
        }
        if (!(blastDiameter >= 4 && blastDiameter <= 4096)) {
            throw new UserError.BadValue("--blast-diameter must be from 4 to 4096 px, got " + blastDiameter);
        }
        List<CellCrop> crops = CellCrops.read(data, side, blastDiameter, w -> {
            if (!quiet) {
                System.err.println(w);
            }
        });
        long blasts = crops.stream().filter(CellCrop::blast).count();
        if (!quiet) {
            System.err.printf(Locale.ROOT, "%d crops from %s: %d blasts, %d normal white cells%n", crops.size(),
                    data, blasts, crops.size() - blasts);
        }
        return crops;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train the cell classifier and write a run folder: config.json, metrics.csv, report.json, "
                    + "report.md, predictions.csv, mistakes.png, checkpoints/best.safetensors.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "ALL-IDB2- or ALL-IDB1-layout folder.")
        Path data;

        @Mixin
        CommonOptions.Run run;

        @Mixin
        Training training;

        @Option(names = "--validation", description = "Share of the crops held out to choose the best epoch (0: keep "
                + "the last).", defaultValue = "0.2")
        double validation;

        @Mixin
        BlastDiameter diameter;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (run.resume) {
                // The run's configuration is the one it started with: an option that would change it is refused.
                CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
                List<String> given = new ArrayList<>();
                for (CommandLine.Model.OptionSpec o : spec.mixins().get("training").options()) {
                    if (parsed.hasMatchedOption(o)) {
                        given.add(o.longestName());
                    }
                }
                if (parsed.hasMatchedOption("--validation")) {
                    given.add("--validation");
                }
                if (!given.isEmpty()) {
                    throw new UserError("--resume continues with the configuration saved in "
                            + run.out.folder.resolve("config.json") + "; drop " + String.join(", ", given));
                }
            }
            ClassifierConfig config = run.resume ? run.savedConfig(ClassifierConfig::fromJson, "")
                    : training.config(validation);
            List<CellCrop> crops = crops(data, config.inputSize(), diameter.px, run.quiet.on);
            DataFingerprint fingerprint = DataFingerprint.of(data, CellCrops.dataFiles(data));
            ClassifierTrainer.Result r;
            try {
                ClassifierTrainer.Builder b = run.setUp(ClassifierTrainer.builder(config, crops, run.out.folder),
                        fingerprint, null);
                if (!run.quiet.on) {
                    b.listener(new EpochProgress(System.err, config.epochs()));
                }
                r = b.build().run();
            } catch (IllegalArgumentException | TrainingException e) {
                throw new UserError(e.getMessage());
            }
            BinaryScores s = r.scores();
            System.out.printf(Locale.ROOT, "best epoch %d on the %s crops: accuracy %.4f, sensitivity %.4f, "
                            + "specificity %.4f, AUC %.4f (%.0f s); report in %s%n", r.bestEpoch(), r.evaluatedOn(),
                    s.accuracy(), s.sensitivity(), s.specificity(), s.auc(), r.seconds(),
                    run.out.folder.resolve("report.md"));
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Score every crop of a folder with a classifier: accuracy, sensitivity, specificity, ROC AUC "
                    + "and confusion matrix as JSON on stdout; with --out also report.md, predictions.csv and "
                    + "mistakes.png.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Classifier checkpoint written by classify train.")
        Path model;

        @Option(names = "--data", required = true, description = "ALL-IDB2- or ALL-IDB1-layout folder.")
        Path data;

        @Option(names = "--out", paramLabel = "FOLDER", description = "Write the reports into this folder.")
        Path out;

        @Mixin
        BlastDiameter diameter;

        @Mixin
        CommonOptions.Force force;

        @Override
        public Integer call() throws Exception {
            CellScorer scorer = scorer(model);
            if (out != null) {
                OutputFiles.lockEmptyOrForce(out, force.allowed, "vnet classify eval");
            }
            List<CellCrop> crops = crops(data, scorer.inputSize(), diameter.px, false);
            float[] p = scorer.probabilitiesOf(crops);
            boolean[] labels = new boolean[crops.size()];
            List<ClassifierTrainer.Prediction> predictions = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                labels[i] = crops.get(i).blast();
                predictions.add(new ClassifierTrainer.Prediction(crops.get(i), p[i]));
            }
            BinaryScores s = BinaryScores.of(p, labels, Double.NaN);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("model", model.toString());
            extra.put("data", data.toString());
            if (out != null) {
                ClassifierReports.write(out, s, predictions, extra, "held-out crops of " + data);
            }
            Map<String, Object> json = new LinkedHashMap<>(extra);
            json.putAll(s.toMap());
            System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting()
                    .serializeSpecialFloatingPointValues().create().toJson(json));
            return 0;
        }
    }

    static CellScorer scorer(Path model) throws IOException {
        if (!Files.isRegularFile(model)) {
            throw new UserError("--model " + model + " does not exist or is not a file");
        }
        return CellScorer.load(model);
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "The blast probability of each single-cell crop image, as CSV on stdout: "
                    + "image,probability,call (call 1 from probability 0.5).")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Classifier checkpoint written by classify train.")
        Path model;

        @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Single-cell crops (TIFF, PNG, JPEG, BMP).")
        List<Path> images;

        @Override
        public Integer call() throws Exception {
            CellScorer scorer = scorer(model);
            System.out.println("image,probability,call");
            // One image at a time: a folder of thousands of crops needs no more memory than one.
            for (Path f : images) {
                List<Image8> one = CellCrops.readImages(List.of(f), scorer.inputSize());
                float p = scorer.probabilities(one)[0];
                System.out.printf(Locale.ROOT, "%s,%.6f,%d%n", csv(f.toString()), p,
                        p >= BinaryScores.THRESHOLD ? 1 : 0);
            }
            return 0;
        }

        private static String csv(String s) {
            return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }

    @Command(name = "cv", mixinStandardHelpOptions = true,
            description = {"Stratified K-fold cross-validation of the classifier: for each fold, trains on the others "
                    + "for --epochs (no crop of the fold chooses anything) and scores the fold.",
                "Prints JSON on stdout: accuracy, sensitivity, specificity and auc (means over folds), their SDs "
                        + "(sd), the seconds per fold and every fold's numbers; progress on stderr. With --out the "
                        + "folds' run folders and cv.json stay there. --time-limit is each fold's."})
    static final class Cv implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "ALL-IDB2- or ALL-IDB1-layout folder.")
        Path data;

        @Option(names = "--folds", required = true, paramLabel = "K", description = "Number of folds, from 2.")
        int folds;

        @Option(names = "--out", paramLabel = "FOLDER", description = "Keep the folds' run folders and cv.json here "
                + "(new or empty unless --force); a temporary folder, deleted at the end, otherwise.")
        Path out;

        @Mixin
        Training training;

        @Mixin
        BlastDiameter diameter;

        @Mixin
        CommonOptions.TimeLimit timeLimit;

        @Mixin
        CommonOptions.Force force;

        @Mixin
        CommonOptions.Quiet quiet;

        @Override
        public Integer call() throws Exception {
            ClassifierConfig config = training.config(0);
            java.time.Duration budget = timeLimit.budget(null);
            List<CellCrop> crops = crops(data, config.inputSize(), diameter.px, quiet.on);
            if (folds < 2 || folds > crops.size()) {
                throw new UserError.BadValue("--folds must be from 2 to the number of crops in " + data + " ("
                        + crops.size() + "), got " + folds);
            }
            Path dir = out;
            if (dir != null) {
                OutputFiles.lockEmptyOrForce(dir, force.allowed, "vnet classify cv");
            } else {
                dir = Files.createTempDirectory("vnet-classify-cv");
            }
            try {
                ClassifierCrossValidation.Result r;
                try {
                    r = ClassifierCrossValidation.run(config, crops, folds, dir, b -> {
                        b.quiet(quiet.on).overwrite(force.allowed).timeBudget(budget);
                        return quiet.on ? b : b.listener(new EpochProgress(System.err, config.epochs()));
                    });
                } catch (IllegalArgumentException | TrainingException e) {
                    throw new UserError(e.getMessage());
                }
                String json = r.toJson();
                if (out != null) {
                    dev.vnet.io.AtomicFiles.writeString(out.resolve("cv.json"), json + "\n");
                }
                System.out.println(json);
            } finally {
                if (out == null) {
                    AtomicFolder.deleteTree(dir);
                }
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Print every layer of the cell classifier (its state dict names, type, output shape for one "
                    + "crop, parameters) and its totals, as vnet describe prints the V-Net's: for --model's "
                    + "configuration, else for --size, --width, --stages and --blocks.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        Network network;

        @Option(names = "--model", description = "Describe the network of this classifier checkpoint instead.")
        Path model;

        @Override
        public Integer call() throws Exception {
            CellClassifier classifier;
            if (model != null) {
                classifier = scorer(model).model();
            } else {
                ClassifierConfig c = network.applyTo(ClassifierConfig.defaults());
                classifier = new CellClassifier(c, c.seed());
            }
            System.out.print(classifier.describe());
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Does the classifier help the detector? Cell precision, sensitivity and F1 and image "
                    + "sensitivity, specificity and AUC of a point detector alone and with the classifier as its second "
                    + "stage (as segment --classifier), on the labelled smears of an ALL-IDB1-layout folder; JSON on "
                    + "stdout."})
    static final class Compare implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Point detector checkpoint (train --preset "
                + "recommended or demo).")
        Path model;

        @Option(names = "--classifier", required = true, description = "Classifier checkpoint (classify train).")
        Path classifier;

        @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder the two never saw.")
        Path data;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(model)) {
                throw new UserError("--model " + model + " does not exist or is not a file");
            }
            CellScorer scorer = scorer(classifier);
            dev.vnet.train.Segmenter detector = dev.vnet.train.Segmenter.load(model);
            List<dev.vnet.io.allidb.AllIdb1Sample> smears = DataFolders.check(data, true).samples();
            List<TwoStageComparison.Outcome> r;
            try {
                r = TwoStageComparison.compare(detector, scorer, smears);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("smears", smears.size());
            json.put("detector", r.get(0).toMap());
            json.put("two_stages", r.get(1).toMap());
            System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting()
                    .serializeSpecialFloatingPointValues().create().toJson(json));
            return 0;
        }
    }
}
