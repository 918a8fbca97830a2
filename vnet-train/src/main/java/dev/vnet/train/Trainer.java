package dev.vnet.train;

import com.google.gson.GsonBuilder;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.loss.DiceLoss;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.loss.NonFiniteLossException;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.SampleCache;
import dev.vnet.io.data.Split;
import dev.vnet.ops.preprocess.SmearPreprocessor;
import dev.vnet.train.TrainingListener.FinalEvaluation;
import dev.vnet.train.TrainingListener.ImagePrediction;
import dev.vnet.train.TrainingListener.RunStart;
import dev.vnet.parallel.BackgroundThread;
import dev.vnet.train.detect.DetectionReport;
import dev.vnet.train.detect.DetectionValidation;
import dev.vnet.train.detect.HeatMapDetector;
import dev.vnet.train.detect.ScaledImage;
import dev.vnet.train.detect.ThresholdChoice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Trains a {@link VNet} with Adam, by default on Dice + BCE, evaluates it every epoch on a held-out split, saves every
 * epoch into a {@link RunFolder} and reports to {@link TrainingListener}s. Its own listeners write
 *
 * <pre>
 * metrics.csv                      one row per epoch, training and validation metrics
 * report.json, report.md           the best model's validation metrics
 * split.json                       the names of the training and of the validation images
 * </pre>
 *
 * <p>and, unless quiet, a line per epoch on the log; more listeners ({@link RunBuilder#listener}) add their own outputs
 * (the {@code vnet} command line adds a progress bar, plots and a figure per validation image).
 *
 * <p>Resuming ({@link RunBuilder#resume}) loads the last completed epoch's weights, optimiser state and
 * history and continues; as batches depend only on (seed, epoch) and the engine is deterministic for a
 * thread count, the final numbers equal those of an uninterrupted run. A non-finite loss, weight or validation
 * loss stops the run with a {@link TrainingException} saying where, before the epoch is saved: the last good
 * checkpoint stays in place. With {@link RunBuilder#saveOnInterrupt}, an interrupt (Ctrl-C) waits for the current step to
 * finish and saves {@code checkpoints/interrupted.safetensors}, labelled with the epoch its weights are from (the one
 * under way if it was interrupted partway through).
 */
public final class Trainer {
    private final TrainConfig config;
    private final List<Sample> samples;
    private final RunFolder folder;
    private final RunBuilder.Options options;
    private final BatchSource.Factory batches;
    private final Loss loss;
    private final boolean defaultLoss;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Object stepLock = new Object();

    private Trainer(Builder b) {
        this.config = b.config;
        this.samples = List.copyOf(b.samples);
        this.folder = new RunFolder(b.runDir);
        this.options = b.options();
        this.batches = b.batches;
        this.loss = b.loss;
        this.defaultLoss = b.defaultLoss;
        listeners.add(MetricsCsv.writer());
        if (!options.quiet()) {
            listeners.add(new EpochLog(options.log()));
        }
        listeners.add(Report.writer());
        listeners.addAll(options.listeners());
    }

    /**
     * A trainer of {@code config} on {@code samples} writing into {@code runDir}.
     *
     * @param config  the configuration of the run
     * @param samples the images to split into training and validation sets, at least 2
     * @param runDir  the run folder, created if missing; must be empty unless resuming or overwriting
     * @return a builder for further options
     */
    public static Builder builder(TrainConfig config, List<Sample> samples, Path runDir) {
        return new Builder(config, samples, runDir, List.of());
    }

    /**
     * A trainer of {@code config} on the good samples of a scanned ALL-IDB1 folder (or a synthetic data set in
     * its layout), writing into {@code runDir}:
     * <pre>{@code
     * Trainer.builder(TrainConfig.paper(), AllIdb1Dataset.scan(Path.of("ALL_IDB1")), Path.of("run")).build().run();
     * }</pre>
     * The images the scan found a problem with are left out; {@link Builder#build()} lists the problems on the
     * log unless quiet. Call {@link DatasetScan#requireClean()} first to refuse an imperfect copy instead.
     *
     * @param config the configuration of the run
     * @param scan   the result of {@link dev.vnet.io.allidb.AllIdb1Dataset#scan}
     * @param runDir the run folder, created if missing; must be empty unless resuming or overwriting
     * @return a builder for further options
     */
    public static Builder builder(TrainConfig config, DatasetScan<AllIdb1Sample> scan, Path runDir) {
        return new Builder(config, scan.samples().stream().map(Sample::of).toList(), runDir, scan.problems());
    }

    /** Trainer options. */
    public static final class Builder extends RunBuilder<Builder> {
        private final TrainConfig config;
        private final List<Sample> samples;
        private final Path runDir;
        private final List<DatasetProblem> skipped;
        private BatchSource.Factory batches;
        private Loss loss;
        private boolean defaultLoss;

        private Builder(TrainConfig config, List<Sample> samples, Path runDir, List<DatasetProblem> skipped) {
            this.config = config;
            this.samples = samples;
            this.runDir = runDir;
            this.skipped = skipped;
        }

        /**
         * Where the training batches come from (by default {@link BatchSource#patches()} for a point detector,
         * {@link BatchSource#wholeImages()} otherwise).
         *
         * @param factory opens the batch source over the training split
         * @return this builder
         */
        public Builder batches(BatchSource.Factory factory) {
            batches = factory;
            return this;
        }

        /**
         * The loss of training and validation (by default the point detector's heat-map loss, or Dice + BCE weighted as
         * the configuration says).
         *
         * @param l the loss
         * @return this builder
         */
        public Builder loss(Loss l) {
            loss = l;
            return this;
        }

        /**
         * The trainer.
         *
         * @return the trainer, ready to {@link Trainer#run()}
         * @throws IllegalArgumentException if there are fewer than 2 samples
         */
        public Trainer build() {
            if (samples.size() < 2) {
                throw new IllegalArgumentException("training needs at least 2 images (one to validate on), got "
                        + samples.size() + (skipped.isEmpty() ? "" : " after leaving out " + skipped.size()
                        + " problem(s): " + skipped));
            }
            PrintStream log = options().lines();
            if (!skipped.isEmpty() && log != null) {
                log.println("warning: " + skipped.size() + " problem(s) in the data, the affected images are left out:");
                for (DatasetProblem p : skipped) {
                    log.println("  " + p);
                }
            }
            defaultLoss = loss == null;
            if (loss == null) {
                loss = config.detection() != null ? config.detection().trainingLoss()
                        : new DiceBceLoss(new DiceLoss(), config.diceWeight(), config.bceWeight());
            }
            if (batches == null) {
                batches = config.detection() != null ? BatchSource.patches() : BatchSource.wholeImages();
            }
            return new Trainer(this);
        }
    }

    /**
     * Runs the training; returns when every epoch is done (or {@code stopAfterEpoch} is reached).
     *
     * @return the history, the best epoch and its validation metrics (null if stopped early)
     * @throws IOException if a file cannot be read or written
     */
    public TrainResult run() throws IOException {
        return folder.runLocked(config.threads(), this::runOnCurrentPool);
    }

    /** The run folder's list of training and validation images. */
    public static final String SPLIT = "split.json";

    /** Writes the names of the training and validation images, so that a held-out set can be checked against them. */
    private static void writeSplit(Path file, Split<Sample> split) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("train", split.train().stream().map(Sample::name).toList());
        json.put("validation", split.validation().stream().map(Sample::name).toList());
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    }

    private TrainResult runOnCurrentPool() throws IOException {
        long start = System.nanoTime();
        TimeBudget budget = new TimeBudget(options.timeBudget());
        options.prepare(folder);
        Split<Sample> split = Split.stratified(samples, Sample::label, config.validationFraction(), config.seed());
        if (split.train().isEmpty() || split.validation().isEmpty()) {
            throw new TrainingException("the split of " + samples.size() + " images with validation fraction "
                    + config.validationFraction() + " leaves no training or no validation image");
        }
        writeSplit(folder.dir().resolve(SPLIT), split);
        SampleCache cache = SampleCache.inMemory(1L << 30);
        VNet model = new VNet(config.model(), config.seed());
        Adam adam = new Adam(model.parameters(), config.learningRate(), 0.9, 0.999, 1e-8, config.weightDecay());
        RunFolder.Saved saved = options.resume() ? folder.resume(model, adam, config) : startNew(model);
        List<ScaledImage> valImages = config.detection() == null ? List.of() : scaled(split.validation());
        try (TrainingListeners listeners = new TrainingListeners(this.listeners);
             Run run = new Run(model, adam, saved, listeners, valImages, split.validation());
             BatchSource train = batches.open(split.train(), config, cache);
             BatchLoader val = BatchLoader.builder(split.validation(), new SmearPreprocessor(config.preprocess()))
                     .batchSize(config.batchSize()).seed(config.seed()).shuffle(false).augment(Augment.NONE)
                     .cache(cache).build()) {
            RunStart started = new RunStart(config, folder, options.resume(), saved.epoch(), saved.step(), split.train().size(),
                    split.validation().size());
            listeners.runStarted(started);
            boolean outOfTime = false;
            for (int epoch = saved.epoch() + 1; epoch <= Math.min(config.epochs(), options.stopAfterEpoch()); epoch++) {
                if (!budget.allows(epoch, saved.epoch() + 1, lastSeconds(run.history), config.epochs(),
                        options.lines())) {
                    outOfTime = true;
                    break;
                }
                run.epoch(epoch, train, val);
            }
            int lastDone = run.history.isEmpty() ? 0 : run.history.get(run.history.size() - 1).epoch();
            if (lastDone < config.epochs() && !outOfTime) {
                listeners.runStopped(lastDone);
                return new TrainResult(folder.dir(), run.history, EpochRecord.best(run.history,
                        config.detection() != null), null, seconds(start));
            }
            FinalEvaluation fin = run.evaluateBest(started, val);
            listeners.runEnded(fin);
            return new TrainResult(folder.dir(), run.history, fin.bestEpoch(), fin.metrics(), seconds(start));
        }
    }

    /** What an interrupt saves: the V-Net as a checkpoint of the run's configuration, without a validation Dice. */
    static InterruptCheckpoint.Weights interruptWeights(VNet model, TrainConfig config) {
        return (file, epoch, step) -> Checkpoint.save(file, model, config, epoch, step, Double.NaN);
    }

    private static double lastSeconds(List<EpochRecord> history) {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
    }

    /** A new run: the output layer starts at the foreground prior, the configuration is saved. */
    private RunFolder.Saved startNew(VNet model) throws IOException {
        if (config.foregroundPrior() > 0) {
            model.setForegroundPrior(config.foregroundPrior());
        }
        if (config.detection() != null) {
            // The output is w·ReLU(BN(one channel)) + b: a random w < 0 (half the seeds) turns the learnable part
            // against the peaks and the heat-map stays flat at the prior for hundreds of steps. w = 1 starts it
            // pointing the right way.
            Arrays.fill(model.parameters().get("out_tr.conv2.weight").data(), 1f);
        }
        folder.writeConfig(config);
        return new RunFolder.Saved(0, 0, List.of());
    }

    /** The validation images of a point detector at its working scale, read once for the whole run. */
    private List<ScaledImage> scaled(List<Sample> validation) throws IOException {
        return ScaledImage.ofAll(validation, config.detection().workingScale());
    }

    /** The state of one invocation of {@link #run()}: the model, its optimiser, the history and the step count. */
    private final class Run implements AutoCloseable {
        private final VNet model;
        private final Adam adam;
        private final TrainingStep step;
        private final List<EpochRecord> history;
        private final TrainingListener listeners;
        private final Evaluator evaluator = new Evaluator();
        private final InterruptCheckpoint interrupt;
        private final List<ScaledImage> valImages;
        private final Map<String, Sample> valSamples = new HashMap<>();
        private ThresholdChoice lastChoice;
        // The last validation's scores and the best epoch's, each with the heat-maps behind them (for the figures),
        // so that the run's end need not run the best weights over the images again.
        private ScoredEpoch lastScored;
        private ScoredEpoch bestScored;
        private long steps;
        private double stepSeconds;
        private double validationSeconds;
        private final BackgroundThread metricsThread = new BackgroundThread("vnet-training-metrics");

        Run(VNet model, Adam adam, RunFolder.Saved saved, TrainingListener listeners, List<ScaledImage> valImages,
            List<Sample> valSamples) {
            this.valImages = valImages;
            for (Sample sample : valSamples) {
                this.valSamples.put(sample.name(), sample);
            }
            this.model = model;
            this.adam = adam;
            this.step = new TrainingStep(model, adam, loss);
            this.history = new ArrayList<>(saved.history());
            this.steps = saved.step();
            this.listeners = listeners;
            interrupt = InterruptCheckpoint.install(options.saveOnInterrupt(), interruptWeights(model, config),
                    folder.interrupted(), stepLock, saved.epoch(), saved.step());
        }

        /** Trains one epoch, validates it, saves it. */
        void epoch(int epoch, BatchSource train, BatchLoader val) throws IOException {
            long t0 = System.nanoTime();
            long stepsBefore = steps;
            stepSeconds = 0;
            Metrics trainMetrics = trainingPass(epoch, train);
            // The last step of an epoch can break the weights without a loss to show it: check them before
            // anything is saved, so last.safetensors stays the last good epoch.
            requireFiniteWeights(epoch);
            long v0 = System.nanoTime();
            step.releaseBuffers();
            Metrics valMetrics = validate(epoch, val);
            validationSeconds = seconds(v0);
            EpochRecord rec = new EpochRecord(epoch, steps, config.learningRate(), seconds(t0), trainMetrics, valMetrics);
            history.add(rec);
            boolean best = EpochRecord.best(history, config.detection() != null) == epoch;
            if (best && lastScored != null) {
                bestScored = lastScored;
            }
            // A point detector's checkpoints carry the thresholds chosen on validation for their epoch.
            TrainConfig saved = lastChoice == null ? config : config.withDetection(config.detection()
                    .withThresholds(lastChoice.cellThreshold(), lastChoice.imageThreshold()));
            synchronized (stepLock) {
                folder.saveEpoch(model, adam, saved, history, best);
                interrupt.epochDone(epoch);
            }
            listeners.epochEnded(rec, List.copyOf(history), best);
            listeners.epochTimed(new EpochTiming(epoch, (int) (steps - stepsBefore), stepSeconds, validationSeconds,
                    seconds(t0)));
        }

        /** One step per batch; the metrics of the predictions made while training. */
        private Metrics trainingPass(int epoch, BatchSource train) {
            model.train(true);
            MetricsAccumulator acc = new MetricsAccumulator(config.evaluation());
            listeners.epochStarted(epoch, train.imagesPerEpoch());
            Iterator<BatchLoader.Batch> it = train.epoch(epoch);
            List<Future<?>> measured = new ArrayList<>();
            while (it.hasNext()) {
                BatchLoader.Batch batch = it.next();
                TrainingStep.Outcome done;
                float[] probabilities;
                synchronized (stepLock) {
                    long s0 = System.nanoTime();
                    try {
                        done = step.run(batch.images(), batch.masks());
                    } catch (NonFiniteLossException e) {
                        throw nonFinite("loss", epoch, steps + 1, images(batch) + e.getMessage());
                    }
                    stepSeconds += seconds(s0);
                    steps++;
                    interrupt.stepDone(epoch, steps);
                    probabilities = Activations.sigmoid(done.output().data());
                    if (config.detection() == null) {
                        evaluator.addBatch(acc, batch, probabilities, config.augment());
                    }
                }
                double loss = done.loss();
                if (config.detection() == null) {
                    acc.addLoss(loss, batch.samples().size());
                } else {
                    // Decoding the patches' peaks is the metrics' work, not the training's: it runs on its own
                    // thread, one batch after another in the steps' order, while the next step runs.
                    measured.add(metricsThread.submit(() -> {
                        DetectionValidation.addPatches(acc, config.detection(), batch.masks(), probabilities);
                        acc.addLoss(loss, batch.samples().size());
                        return null;
                    }));
                }
                listeners.stepEnded(epoch, steps, loss, batch.samples().size());
            }
            for (Future<?> f : measured) {
                BackgroundThread.await(f, "measuring a training batch");
            }
            listeners.trainingPassEnded(epoch);
            return acc.result();
        }

        private Metrics validate(int epoch, BatchLoader val) throws IOException {
            Metrics m;
            try {
                if (config.detection() != null) {
                    List<ImagePrediction> predictions = new ArrayList<>();
                    lastScored = new ScoredEpoch(epoch, DetectionValidation.score(new HeatMapDetector(model,
                            config.detection()), valImages, loss, collectInto(predictions)), predictions);
                    DetectionValidation.Outcome o = DetectionValidation.choose(lastScored.scored(), config.detection());
                    lastChoice = o.choice();
                    m = o.metrics();
                } else {
                    m = evaluator.evaluate(model, val, config.evaluation(), loss, null);
                }
            } catch (NonFiniteLossException e) {
                throw nonFinite("validation loss", epoch, steps, e.getMessage());
            }
            if (!Double.isFinite(m.loss())) {
                throw nonFinite("validation loss", epoch, steps, "loss = " + m.loss());
            }
            return m;
        }

        /** The best epoch's weights on the validation set, with every image's prediction. */
        FinalEvaluation evaluateBest(RunStart started, BatchLoader val) throws IOException {
            interrupt.finish();
            int bestEpoch = EpochRecord.best(history, config.detection() != null);
            Checkpoint best = Checkpoint.load(folder.best());
            if (config.detection() != null) {
                // The best checkpoint's own thresholds, on the images they were chosen on (said in detection.json). Its
                // weights were scored on them in its epoch already: with the default loss, those scores and heat-maps
                // are the ones a new pass would give.
                List<ImagePrediction> predictions = new ArrayList<>();
                DetectionValidation.Outcome o;
                if (bestScored != null && bestScored.epoch() == bestEpoch && defaultLoss) {
                    o = DetectionValidation.at(bestScored.scored(), best.config().detection());
                    predictions.addAll(bestScored.predictions());
                } else {
                    o = DetectionValidation.evaluateScaledAt(new HeatMapDetector(best.model(),
                            best.config().detection()), valImages, collectInto(predictions));
                }
                DetectionReport.write(folder.dir(), o.choice(), "the validation images, which chose the best epoch and "
                        + "both thresholds: optimistic; vnet eval on images the run never saw gives held-out numbers");
                return new FinalEvaluation(started, bestEpoch, o.metrics(), List.copyOf(history),
                        List.copyOf(predictions), o.choice());
            }
            List<ImagePrediction> predictions = new ArrayList<>();
            Metrics m = evaluator.evaluate(best.model(), val, config.evaluation(), loss,
                    Evaluator.collectInto(predictions));
            return new FinalEvaluation(started, bestEpoch, m, List.copyOf(history), List.copyOf(predictions));
        }

        /** One epoch's validation scores with the heat-maps behind them. */
        private record ScoredEpoch(int epoch, DetectionValidation.Scored scored, List<ImagePrediction> predictions) {}

        /** A sink that keeps each validation image's heat-map in {@code into}, with its sample. */
        private DetectionValidation.PredictionSink collectInto(List<ImagePrediction> into) {
            return (img, map, target) -> into.add(new ImagePrediction(valSample(img.name()), img.image(), target, map));
        }

        private Sample valSample(String name) {
            Sample sample = valSamples.get(name);
            if (sample == null) {
                throw new IllegalStateException("validation image '" + name + "' is not among the run's validation samples");
            }
            return sample;
        }

        private void requireFiniteWeights(int epoch) {
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
                float[] v = e.getValue().data();
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw nonFinite("weights", epoch, steps, "'" + e.getKey() + "'[" + i + "] = " + v[i]);
                    }
                }
            }
        }

        private TrainingException nonFinite(String what, int epoch, long step, String detail) {
            return TrainingException.nonFinite(what, epoch, step, detail, folder.last());
        }

        @Override
        public void close() {
            metricsThread.close();
            interrupt.close();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String images(BatchLoader.Batch batch) {
        return "images " + batch.samples().stream().map(Sample::name).collect(Collectors.joining(", ")) + ", ";
    }
}
