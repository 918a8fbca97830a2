package dev.vnet.train.classify;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.loss.NonFiniteLossException;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.io.data.Split;
import dev.vnet.ops.Image8;
import dev.vnet.train.InterruptCheckpoint;
import dev.vnet.train.RunBuilder;
import dev.vnet.train.RunFolder;
import dev.vnet.train.TimeBudget;
import dev.vnet.train.TrainingException;
import dev.vnet.train.TrainingListener;
import dev.vnet.train.TrainingStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link CellClassifier} on labelled crops with Adam (its learning rate decaying as a cosine over the epochs)
 * and softmax cross-entropy, in the segmentation trainer's
 * {@link RunFolder} with its machinery: the folder's lock, its checks for a new or resumed run, {@code config.json},
 * {@code data.sha256}, {@code checkpoints/} replaced as one unit every epoch ({@link RunFolder#saveCheckpoints}), the
 * {@link TrainingStep} the V-Net trains with, and the progress callbacks of {@link TrainingListener}
 * ({@code epochStarted}, {@code stepEnded}, {@code trainingPassEnded}, {@code runStopped}, {@code close}; the others
 * carry a V-Net's records and are not called). It writes
 *
 * <pre>
 * metrics.csv        one row per epoch: training loss and accuracy, validation loss, accuracy, sensitivity,
 *                    specificity and ROC AUC
 * report.json, .md   the best epoch on the validation crops (the training crops without validation): the measures,
 *                    the confusion matrix
 * predictions.csv    every crop of that evaluation with its label and blast probability
 * mistakes.png       a contact sheet of the worst mistakes
 * split.json         the names of the training and of the validation crops
 * </pre>
 *
 * <p>An epoch's batches and augmentation depend only on the seed and the epoch, so a resumed run ({@link
 * RunBuilder#resume}) ends with the numbers of an uninterrupted one. As with the segmentation trainer, a time budget
 * ({@link RunBuilder#timeBudget}) ends the run complete before an epoch that would not fit, and an interrupt can save
 * the weights of the step under way to {@code checkpoints/interrupted.safetensors} ({@link
 * RunBuilder#saveOnInterrupt}).
 */
public final class ClassifierTrainer {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final String HISTORY_KEY = "history";

    private final ClassifierConfig config;
    private final List<CellCrop> crops;
    private final RunFolder folder;
    private final PrintStream log;
    private final List<TrainingListener> listeners;
    private final RunBuilder.Options options;
    // Held while a step changes the weights and while an epoch is saved: an interrupt saves weights between steps.
    private final Object stepLock = new Object();

    private ClassifierTrainer(Builder b, RunBuilder.Options options) {
        this.options = options;
        config = b.config;
        crops = List.copyOf(b.crops);
        folder = new RunFolder(b.runDir);
        log = options.lines();
        listeners = options.listeners();
    }

    /**
     * A trainer of {@code config} on {@code crops}, writing into {@code runDir}.
     *
     * @param config the network and the run
     * @param crops  the labelled crops at the configuration's input size, both classes present
     * @param runDir the run folder, created if missing; must be empty unless resuming or overwriting
     * @return a builder for further options
     */
    public static Builder builder(ClassifierConfig config, List<CellCrop> crops, Path runDir) {
        return new Builder(config, crops, runDir);
    }

    /** Trainer options. */
    public static final class Builder extends RunBuilder<Builder> {
        private final ClassifierConfig config;
        private final List<CellCrop> crops;
        private final Path runDir;

        private Builder(ClassifierConfig config, List<CellCrop> crops, Path runDir) {
            this.config = config;
            this.crops = crops;
            this.runDir = runDir;
        }

        /**
         * The trainer.
         *
         * @return the trainer, ready to {@link ClassifierTrainer#run()}
         * @throws IllegalArgumentException if the crops lack a class, or a crop is not of the input size
         */
        public ClassifierTrainer build() {
            long blasts = crops.stream().filter(CellCrop::blast).count();
            if (blasts == 0 || blasts == crops.size()) {
                throw new IllegalArgumentException("training a classifier needs blasts and normal cells, got "
                        + blasts + " blasts among " + crops.size() + " crops");
            }
            for (CellCrop c : crops) {
                if (c.image().width() != config.inputSize() || c.image().height() != config.inputSize()
                        || c.image().channels() != 3) {
                    throw new IllegalArgumentException("crop " + c.name() + " is " + c.image() + ", expected RGB "
                            + config.inputSize() + "x" + config.inputSize());
                }
            }
            return new ClassifierTrainer(this, options());
        }
    }

    /**
     * One crop's prediction.
     *
     * @param crop        the crop
     * @param probability the blast probability
     */
    public record Prediction(CellCrop crop, float probability) {
        /** {@return how far the probability is from the label: 0 right and sure, 1 wrong and sure} */
        public double error() {
            return crop.blast() ? 1 - probability : probability;
        }
    }

    /**
     * What a run produced.
     *
     * @param runDir       the run folder
     * @param history      every epoch's record
     * @param bestEpoch    the epoch whose weights are {@code checkpoints/best.safetensors}
     * @param scores       the best epoch on the validation crops (the training crops without validation), null if
     *                     the run stopped early
     * @param evaluatedOn  "validation" or "training"
     * @param predictions  every crop of that evaluation
     * @param seconds      wall time of this invocation
     */
    public record Result(Path runDir, List<ClassifierEpoch> history, int bestEpoch, BinaryScores scores,
                         String evaluatedOn, List<Prediction> predictions, double seconds) {
        /** {@return {@code checkpoints/best.safetensors}} */
        public Path bestCheckpoint() {
            return new RunFolder(runDir).best();
        }
    }

    /**
     * Runs the training.
     *
     * @return the history, the best epoch and its scores
     * @throws IOException if a file cannot be read or written
     */
    public Result run() throws IOException {
        return folder.runLocked(config.threads(), this::runOnCurrentPool);
    }

    private Result runOnCurrentPool() throws IOException {
        long start = System.nanoTime();
        TimeBudget budget = new TimeBudget(options.timeBudget());
        options.prepare(folder);
        List<CellCrop> train = crops;
        List<CellCrop> validation = List.of();
        if (config.validationFraction() > 0) {
            Split<CellCrop> split = Split.stratified(crops, CellCrop::blast, config.validationFraction(), config.seed());
            train = split.train();
            validation = split.validation();
            if (train.isEmpty() || validation.isEmpty()) {
                throw new TrainingException("the split of " + crops.size() + " crops with validation fraction "
                        + config.validationFraction() + " leaves no training or no validation crop");
            }
        }
        writeSplit(train, validation);
        CellClassifier model = new CellClassifier(config, config.seed());
        Adam adam = new Adam(model.parameters(), config.learningRate(), 0.9, 0.999, 1e-8, config.weightDecay());
        List<ClassifierEpoch> history = new ArrayList<>();
        long steps = 0;
        if (options.resume()) {
            steps = load(model, adam, history);
        } else {
            AtomicFiles.writeString(folder.config(), config.toJson());
        }
        Loss loss = new ClassLabelLoss(config.labelSmoothing());
        TrainingStep step = new TrainingStep(model, adam, loss);
        int completed = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        try (InterruptCheckpoint interrupt = InterruptCheckpoint.install(options.saveOnInterrupt(),
                interruptWeights(model), folder.interrupted(), stepLock, completed, steps)) {
            boolean outOfTime = false;
            for (int epoch = completed + 1; epoch <= Math.min(config.epochs(), options.stopAfterEpoch()); epoch++) {
                double lastSeconds = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
                if (!budget.allows(epoch, completed + 1, lastSeconds, config.epochs(), log)) {
                    outOfTime = true;
                    break;
                }
                long t0 = System.nanoTime();
                model.reseedDropout(config.seed() * 0x9E3779B97F4A7C15L + epoch);
                adam.setLr(learningRate(epoch));
                double[] pass = trainingPass(epoch, train, step, steps, interrupt);
                steps += (long) pass[2];
                BinaryScores val = validation.isEmpty() ? null : evaluate(model, validation, loss).scores();
                if (val != null && !Double.isFinite(val.loss())) {
                    throw TrainingException.nonFinite("validation loss", epoch, steps, "loss = " + val.loss(),
                            folder.last());
                }
                ClassifierEpoch rec = new ClassifierEpoch(epoch, steps, seconds(t0), pass[0], pass[1], val);
                history.add(rec);
                synchronized (stepLock) {
                    save(model, adam, history, ClassifierEpoch.best(history) == epoch);
                    interrupt.epochDone(epoch);
                }
                writeMetrics(history);
                if (log != null) {
                    log.println(line(rec));
                }
            }
            int lastDone = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
            if (lastDone < config.epochs() && !outOfTime) {
                listeners.forEach(l -> l.runStopped(lastDone));
                return new Result(folder.dir(), history, ClassifierEpoch.best(history), null, null, List.of(),
                        seconds(start));
            }
            interrupt.finish();
            int bestEpoch = ClassifierEpoch.best(history);
            CellClassifier best = ClassifierCheckpoint.load(folder.best()).model();
            String on = validation.isEmpty() ? "training" : "validation";
            Evaluation ev = evaluate(best, validation.isEmpty() ? train : validation, loss);
            writeReports(bestEpoch, on, ev, best, seconds(start));
            return new Result(folder.dir(), history, bestEpoch, ev.scores(), on, ev.predictions(), seconds(start));
        } finally {
            listeners.forEach(TrainingListener::close);
        }
    }

    /** One pass over the training crops; returns {mean loss, accuracy, steps}. */
    private double[] trainingPass(int epoch, List<CellCrop> train, TrainingStep step, long stepsBefore,
                                  InterruptCheckpoint interrupt) {
        listeners.forEach(l -> l.epochStarted(epoch, train.size()));
        int[] order = order(train.size(), epoch);
        double lossSum = 0;
        int right = 0;
        long steps = 0;
        for (int from = 0; from < order.length; from += config.batchSize()) {
            int to = Math.min(order.length, from + config.batchSize());
            if (to - from < 2 && from > 0) {
                // Batch norm cannot normalise over one crop at the last stage's 1×1 pixels: the last lone crop waits
                // for the next epoch's shuffle.
                break;
            }
            List<Image8> images = new ArrayList<>();
            List<CellCrop> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                CellCrop c = train.get(order[i]);
                batch.add(c);
                images.add(config.augment() ? CropTensors.augment(c.image(), cropRng(epoch, order[i])) : c.image());
            }
            TrainingStep.Outcome done;
            synchronized (stepLock) {
                try {
                    done = step.run(CropTensors.images(images), CropTensors.labels(batch));
                } catch (NonFiniteLossException e) {
                    throw TrainingException.nonFinite("loss", epoch, stepsBefore + steps + 1, e.getMessage(),
                            folder.last());
                }
                steps++;
                interrupt.stepDone(epoch, stepsBefore + steps);
            }
            float[] logits = done.output().data();
            for (int i = 0; i < batch.size(); i++) {
                boolean called = logits[2 * i + 1] > logits[2 * i];
                right += called == batch.get(i).blast() ? 1 : 0;
            }
            lossSum += done.loss() * batch.size();
            long stepNow = stepsBefore + steps;
            int n = batch.size();
            listeners.forEach(l -> l.stepEnded(epoch, stepNow, done.loss(), n));
        }
        listeners.forEach(l -> l.trainingPassEnded(epoch));
        return new double[] {lossSum / train.size(), right / (double) train.size(), steps};
    }

    /** What an interrupt saves: the classifier as a checkpoint {@link ClassifierCheckpoint#load} reads. */
    static InterruptCheckpoint.Weights interruptWeights(CellClassifier model) {
        return (file, epoch, step) -> AtomicFiles.write(file, out -> ClassifierCheckpoint.writeTo(out, model, epoch,
                step));
    }

    /**
     * The learning rate of {@code epoch}: cosine decay from the configured rate at the first epoch towards 0 after the
     * last. The last epochs take small steps, so the weights kept (the last epoch's when nothing is held out) do not
     * land on one side of a swing; a function of the epoch alone, so a resumed run steps as an uninterrupted one.
     */
    private double learningRate(int epoch) {
        return config.learningRate() * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / config.epochs()));
    }

    /** The epoch's order of the training crops: a shuffle that depends only on the seed and the epoch. */
    private int[] order(int n, int epoch) {
        Rng rng = new Rng(config.seed() * 1_000_003L + epoch);
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    private Rng cropRng(int epoch, int index) {
        return new Rng(config.seed() ^ (epoch * 0x9E3779B97F4A7C15L) ^ (index * 0xC2B2AE3D27D4EB4FL));
    }

    /**
     * The predictions of a model on crops and their scores.
     *
     * @param scores      the measures
     * @param predictions every crop with its probability
     */
    record Evaluation(BinaryScores scores, List<Prediction> predictions) {}

    /** {@return {@code model}'s scores on {@code crops}, with the mean loss} */
    static Evaluation evaluate(CellClassifier model, List<CellCrop> crops, Loss loss) {
        float[] p = new CellScorer(model).probabilitiesOf(crops);
        boolean[] labels = new boolean[crops.size()];
        double lossSum = 0;
        List<Prediction> predictions = new ArrayList<>(crops.size());
        for (int i = 0; i < p.length; i++) {
            labels[i] = crops.get(i).blast();
            predictions.add(new Prediction(crops.get(i), p[i]));
        }
        if (loss != null) {
            try (GradMode.Scope s = GradMode.noGrad()) {
                for (int from = 0; from < crops.size(); from += 64) {
                    List<CellCrop> batch = crops.subList(from, Math.min(crops.size(), from + 64));
                    Tensor logits = model.forward(CropTensors.images(batch.stream().map(CellCrop::image).toList()));
                    lossSum += loss.forward(logits, CropTensors.labels(batch)).item() * batch.size();
                }
            }
        }
        return new Evaluation(BinaryScores.of(p, labels, loss == null ? Double.NaN : lossSum / crops.size()),
                List.copyOf(predictions));
    }

    private void save(CellClassifier model, Adam adam, List<ClassifierEpoch> history, boolean best)
            throws IOException {
        ClassifierEpoch r = history.get(history.size() - 1);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(r.epoch()));
        meta.put("step", Long.toString(r.step()));
        meta.put(HISTORY_KEY, GSON.toJson(history));
        Map<String, AtomicFiles.ContentWriter> unit = new LinkedHashMap<>();
        unit.put(folder.last().getFileName().toString(), out -> ClassifierCheckpoint.writeTo(out, model, r.epoch(),
                r.step()));
        unit.put(folder.lastState().getFileName().toString(), out -> Safetensors.writeTo(out, adam.stateDict(), meta));
        if (best) {
            unit.put(folder.best().getFileName().toString(), out -> ClassifierCheckpoint.writeTo(out, model,
                    r.epoch(), r.step()));
        }
        folder.saveCheckpoints(unit);
    }

    /** Loads the last completed epoch into the model and the optimiser; returns the steps taken. */
    private long load(CellClassifier model, Adam adam, List<ClassifierEpoch> history) throws IOException {
        ClassifierConfig saved;
        try {
            saved = ClassifierConfig.fromJson(Files.readString(folder.config(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new TrainingException("cannot resume " + folder.dir() + ": " + folder.config() + ": " + e.getMessage());
        }
        if (!saved.equals(config)) {
            throw new TrainingException("cannot resume " + folder.dir() + ": its configuration differs from this one; "
                    + "resume with the one saved in " + folder.config());
        }
        ClassifierCheckpoint last = ClassifierCheckpoint.load(folder.last());
        SafetensorsFile state = Safetensors.read(folder.lastState());
        if (!Integer.toString(last.epoch()).equals(state.metadata().get("epoch"))) {
            throw new TrainingException("cannot resume " + folder.dir() + ": last.safetensors is from epoch "
                    + last.epoch() + " but last.state.safetensors from epoch " + state.metadata().get("epoch"));
        }
        model.loadStateDict(last.model().stateDict());
        adam.loadStateDict(state.tensors());
        try {
            List<ClassifierEpoch> h = GSON.fromJson(state.metadata().get(HISTORY_KEY),
                    new TypeToken<List<ClassifierEpoch>>() {}.getType());
            history.addAll(h == null ? List.of() : h);
        } catch (JsonParseException e) {
            throw new TrainingException("cannot resume " + folder.dir() + ": the saved history is unreadable: "
                    + e.getMessage());
        }
        return last.step();
    }

    private void writeSplit(List<CellCrop> train, List<CellCrop> validation) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("train", train.stream().map(CellCrop::name).toList());
        json.put("validation", validation.stream().map(CellCrop::name).toList());
        AtomicFiles.writeString(folder.dir().resolve("split.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    }

    private void writeMetrics(List<ClassifierEpoch> history) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,step,seconds,train_loss,train_accuracy,val_loss,val_accuracy,"
                + "val_sensitivity,val_specificity,val_auc\n");
        for (ClassifierEpoch r : history) {
            BinaryScores v = r.validation();
            sb.append(String.format(Locale.ROOT, "%d,%d,%.3f,%.6f,%.6f,%s%n", r.epoch(), r.step(), r.seconds(),
                    r.trainLoss(), r.trainAccuracy(), v == null ? ",,,," : String.format(Locale.ROOT,
                            "%.6f,%.6f,%.6f,%.6f,%.6f", v.loss(), v.accuracy(), v.sensitivity(), v.specificity(),
                            v.auc())));
        }
        AtomicFiles.writeString(folder.dir().resolve("metrics.csv"), sb.toString());
    }

    private static String line(ClassifierEpoch r) {
        BinaryScores v = r.validation();
        return String.format(Locale.ROOT, "epoch %d: train loss %.4f, accuracy %.3f%s (%.1f s)", r.epoch(),
                r.trainLoss(), r.trainAccuracy(), v == null ? "" : String.format(Locale.ROOT,
                        "; validation loss %.4f, accuracy %.3f, AUC %.3f", v.loss(), v.accuracy(), v.auc()),
                r.seconds());
    }

    private void writeReports(int bestEpoch, String on, Evaluation ev, CellClassifier model, double seconds)
            throws IOException {
        ClassifierReports.write(folder.dir(), ev.scores(), ev.predictions(), Map.of("best_epoch", bestEpoch,
                "evaluated_on", on, "parameters", model.parameterCount(), "seconds", seconds),
                "the best epoch (" + bestEpoch + ") of " + model + " on the " + on + " crops"
                        + (on.equals("training") ? " it was trained on: optimistic" : ", which chose the epoch"));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
