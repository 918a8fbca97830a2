package dev.vnet.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.vnet.core.kernels.Parallel;
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
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.SampleCache;
import dev.vnet.io.data.Split;
import dev.vnet.ops.preprocess.SmearPreprocessor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Trains a {@link VNet} with Dice + BCE and Adam, evaluates it every epoch on a held-out split, and
 * writes a run folder:
 *
 * <pre>
 * config.json                      the full configuration (reproduces the run with the same seed and threads)
 * metrics.csv                      one row per epoch, training and validation metrics
 * plots/*.png                      loss, Dice/IoU, pixel vs. all-background accuracy, cell-level curves
 * figures/&lt;image&gt;.png             per validation image: image | true mask | predicted mask | overlay (best model)
 * checkpoints/best.safetensors     weights of the epoch with the best validation Dice
 * checkpoints/last.safetensors     weights after the last completed epoch
 * checkpoints/last.state.safetensors  Adam's state and the history, to resume exactly
 * report.json, report.md           the best model's validation metrics
 * </pre>
 *
 * <p>Resuming ({@link Builder#resume}) loads the last completed epoch's weights, optimiser state and
 * history and continues; as batches depend only on (seed, epoch) and the engine is deterministic for a
 * thread count, the final numbers equal those of an uninterrupted run. A non-finite loss, weight or validation
 * loss stops the run with a {@link TrainingException} saying where, before the epoch is saved: the last good
 * checkpoint stays in place. An interrupt (Ctrl-C) waits for the current step to finish and saves
 * {@code checkpoints/interrupted.safetensors}, labelled with the epoch its weights are from (the one under way if
 * it was interrupted partway through).
 */
public final class Trainer {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final TrainConfig config;
    private final List<Sample> samples;
    private final Path runDir;
    private final boolean quiet;
    private final boolean resume;
    private final boolean overwrite;
    private final int stopAfterEpoch;
    private final PrintStream log;
    private final Object stepLock = new Object();

    private Trainer(Builder b) {
        this.config = b.config;
        this.samples = List.copyOf(b.samples);
        this.runDir = b.runDir;
        this.quiet = b.quiet;
        this.resume = b.resume;
        this.overwrite = b.overwrite;
        this.stopAfterEpoch = b.stopAfterEpoch;
        this.log = b.log;
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
    public static final class Builder {
        private final TrainConfig config;
        private final List<Sample> samples;
        private final Path runDir;
        private final List<DatasetProblem> skipped;
        private boolean quiet;
        private boolean resume;
        private boolean overwrite;
        private int stopAfterEpoch = Integer.MAX_VALUE;
        private PrintStream log = System.err;

        private Builder(TrainConfig config, List<Sample> samples, Path runDir, List<DatasetProblem> skipped) {
            this.config = config;
            this.samples = samples;
            this.runDir = runDir;
            this.skipped = skipped;
        }

        /**
         * No progress bar and no per-epoch lines.
         *
         * @param v whether to stay silent
         * @return this builder
         */
        public Builder quiet(boolean v) {
            quiet = v;
            return this;
        }

        /**
         * Continue the run in {@code runDir} from its last completed epoch.
         *
         * @param v whether to resume
         * @return this builder
         */
        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        /**
         * Allow a non-empty {@code runDir} for a new run (its files are replaced one by one).
         *
         * @param v whether to allow it
         * @return this builder
         */
        public Builder overwrite(boolean v) {
            overwrite = v;
            return this;
        }

        /**
         * Stop (as if interrupted) after this epoch, leaving a resumable run; for tests and time limits.
         *
         * @param epoch the last epoch to run
         * @return this builder
         */
        public Builder stopAfterEpoch(int epoch) {
            stopAfterEpoch = epoch;
            return this;
        }

        /**
         * {@return where progress and epoch lines go (stderr by default)}
         *
         * @param out the stream
         */
        public Builder log(PrintStream out) {
            log = out;
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
            if (!skipped.isEmpty() && !quiet) {
                log.println("warning: " + skipped.size() + " problem(s) in the data, the affected images are left out:");
                for (DatasetProblem p : skipped) {
                    log.println("  " + p);
                }
            }
            return new Trainer(this);
        }
    }

    private Path checkpoints() {
        return runDir.resolve("checkpoints");
    }

    /**
     * Runs the training; returns when every epoch is done (or {@code stopAfterEpoch} is reached).
     *
     * @return the history, the best epoch and its validation metrics (null if stopped early)
     * @throws IOException if a file cannot be read or written
     */
    public TrainResult run() throws IOException {
        long start = System.nanoTime();
        System.setProperty("java.awt.headless", "true");
        prepareRunDir();
        Parallel.setThreads(config.threads());
        Split<Sample> split = Split.stratified(samples, Sample::label, config.validationFraction(), config.seed());
        if (split.train().isEmpty() || split.validation().isEmpty()) {
            throw new TrainingException("the split of " + samples.size() + " images with validation fraction "
                    + config.validationFraction() + " leaves no training or no validation image");
        }
        SmearPreprocessor pre = new SmearPreprocessor(config.preprocess());
        SampleCache cache = SampleCache.inMemory(1L << 30);
        VNet model = new VNet(config.model(), config.seed());
        Adam adam = new Adam(model.parameters(), config.learningRate(), 0.9, 0.999, 1e-8, config.weightDecay());
        Loss loss = new DiceBceLoss(new DiceLoss(), config.diceWeight(), config.bceWeight());
        List<EpochRecord> history = new ArrayList<>();
        long step = 0;
        int firstEpoch = 1;
        if (resume) {
            Resumed r = loadLast(model, adam);
            history.addAll(r.history);
            step = r.step;
            firstEpoch = r.epoch + 1;
            if (!quiet) {
                log.println("resuming " + runDir + " after epoch " + r.epoch + " (step " + step + ")");
            }
        } else {
            if (config.foregroundPrior() > 0) {
                float bias = (float) Math.log(config.foregroundPrior() / (1 - config.foregroundPrior()));
                java.util.Arrays.fill(model.parameters().get("out_tr.conv2.bias").data(), bias);
            }
            AtomicFiles.write(runDir.resolve("config.json"), config.toJson().getBytes(StandardCharsets.UTF_8));
        }
        Evaluator evaluator = new Evaluator();
        Interrupt interrupt = new Interrupt(model, config, checkpoints().resolve("interrupted.safetensors"), stepLock,
                firstEpoch - 1, step);
        Thread hook = new Thread(interrupt, "vnet-interrupt-checkpoint");
        Runtime.getRuntime().addShutdownHook(hook);
        try (BatchLoader train = BatchLoader.builder(split.train(), pre).batchSize(config.batchSize()).seed(config.seed())
                .shuffle(true).augment(config.augment() ? Augment.STANDARD : Augment.NONE).cache(cache).build();
             BatchLoader val = BatchLoader.builder(split.validation(), pre).batchSize(config.batchSize())
                     .seed(config.seed()).shuffle(false).augment(Augment.NONE).cache(cache).build()) {
            for (int epoch = firstEpoch; epoch <= config.epochs() && epoch <= stopAfterEpoch; epoch++) {
                long t0 = System.nanoTime();
                model.train(true);
                MetricsAccumulator acc = new MetricsAccumulator(config.evaluation());
                try (EpochProgress bar = new EpochProgress(String.format(Locale.ROOT, "epoch %d/%d", epoch,
                        config.epochs()), train.size(), quiet, log)) {
                    Iterator<BatchLoader.Batch> it = train.epoch(epoch);
                    while (it.hasNext()) {
                        BatchLoader.Batch batch = it.next();
                        double l;
                        synchronized (stepLock) {
                            adam.zeroGrad();
                            Tensor logits = model.forward(batch.images());
                            Tensor lt;
                            try {
                                lt = loss.forward(logits, batch.masks());
                            } catch (NonFiniteLossException e) {
                                throw nonFinite("loss", epoch, step + 1, images(batch) + e.getMessage());
                            }
                            l = lt.item();
                            if (!Double.isFinite(l)) {
                                throw nonFinite("loss", epoch, step + 1, images(batch) + "loss = " + l);
                            }
                            lt.backward();
                            adam.step();
                            step++;
                            interrupt.stepDone(epoch, step);
                            evaluator.addBatch(acc, batch, Evaluator.sigmoid(logits.data()), config.augment());
                        }
                        acc.addLoss(l, batch.samples().size());
                        bar.step(batch.samples().size(), l);
                    }
                }
                Metrics trainMetrics = acc.result();
                // The last step of an epoch can break the weights without a loss to show it: check them before
                // anything is saved, so last.safetensors stays the last good epoch.
                requireFiniteWeights(model, epoch, step);
                Metrics valMetrics;
                try {
                    valMetrics = evaluator.evaluate(model, val, config.evaluation(), loss, null);
                } catch (NonFiniteLossException e) {
                    throw nonFinite("validation loss", epoch, step, e.getMessage());
                }
                if (!Double.isFinite(valMetrics.loss())) {
                    throw nonFinite("validation loss", epoch, step, "loss = " + valMetrics.loss());
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                EpochRecord rec = new EpochRecord(epoch, step, config.learningRate(), secs, trainMetrics, valMetrics);
                history.add(rec);
                boolean best = bestEpoch(history) == epoch;
                synchronized (stepLock) {
                    saveEpoch(model, adam, history, epoch, step, best);
                    interrupt.epochDone(epoch);
                }
                if (!quiet) {
                    log.printf(Locale.ROOT, "epoch %d/%d  %.1fs  train: %s%n             val:   %s%s%n", epoch,
                            config.epochs(), secs, trainMetrics.summary(), valMetrics.summary(), best ? "  (best)" : "");
                }
            }
            interrupt.finished = true;
            int lastDone = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
            if (lastDone < config.epochs()) {
                if (!quiet) {
                    log.println("stopped after epoch " + lastDone + " of " + config.epochs() + "; continue with --resume");
                }
                return new TrainResult(runDir, history, bestEpoch(history), null, (System.nanoTime() - start) / 1e9);
            }
            int bestEpoch = bestEpoch(history);
            Checkpoint best = Checkpoint.load(checkpoints().resolve("best.safetensors"));
            Path figures = runDir.resolve("figures");
            Files.createDirectories(figures);
            Metrics fin = evaluator.evaluate(best.model(), val, config.evaluation(), loss,
                    Evaluator.figures(figures, config.evaluation()));
            Report.write(runDir, config, fin, bestEpoch, history, split.train().size(), split.validation().size());
            return new TrainResult(runDir, history, bestEpoch, fin, (System.nanoTime() - start) / 1e9);
        } finally {
            interrupt.finished = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs
            }
        }
    }

    /** A run stopped by a non-finite {@code what} (loss, weights, validation loss) in {@code epoch}. */
    private TrainingException nonFinite(String what, int epoch, long step, String detail) {
        Path last = checkpoints().resolve("last.safetensors");
        return new TrainingException(String.format(Locale.ROOT,
                "training stopped: non-finite %s at epoch %d, step %d: %s; %s", what, epoch, step, detail,
                Files.exists(last) ? "the last good checkpoint is " + last + " (epoch " + (epoch - 1) + ")"
                        : "no epoch was completed, so there is no checkpoint"));
    }

    private static String images(BatchLoader.Batch batch) {
        return "images " + batch.samples().stream().map(Sample::name).collect(Collectors.joining(", ")) + ", ";
    }

    private void requireFiniteWeights(VNet model, int epoch, long step) {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] v = e.getValue().data();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw nonFinite("weights", epoch, step, "'" + e.getKey() + "'[" + i + "] = " + v[i]);
                }
            }
        }
    }

    /** The epoch with the highest validation Dice (the earliest on ties). */
    static int bestEpoch(List<EpochRecord> history) {
        int best = -1;
        double dice = Double.NEGATIVE_INFINITY;
        for (EpochRecord r : history) {
            if (r.validation().dice() > dice) {
                dice = r.validation().dice();
                best = r.epoch();
            }
        }
        return best;
    }

    private void prepareRunDir() throws IOException {
        if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
            throw new TrainingException("run folder " + runDir + " is a file");
        }
        if (resume) {
            if (!Files.isRegularFile(checkpoints().resolve("last.safetensors"))) {
                throw new TrainingException("cannot resume: " + checkpoints().resolve("last.safetensors")
                        + " does not exist (was a run started in " + runDir + "?)");
            }
        } else if (Files.isDirectory(runDir) && !overwrite) {
            try (var s = Files.list(runDir)) {
                if (s.findAny().isPresent()) {
                    throw new TrainingException("run folder " + runDir + " is not empty: use --resume to continue it, "
                            + "--force to start over in it, or another folder");
                }
            }
        }
        Files.createDirectories(checkpoints());
        Files.createDirectories(runDir.resolve("plots"));
    }

    private void saveEpoch(VNet model, Adam adam, List<EpochRecord> history, int epoch, long step, boolean best)
            throws IOException {
        double dice = history.get(history.size() - 1).validation().dice();
        // The state goes first: a crash between the two writes leaves a state newer than the weights,
        // which loadLast detects, never weights without their state.
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("history", GSON.toJson(history));
        Safetensors.write(checkpoints().resolve("last.state.safetensors"), adam.stateDict(), meta);
        Checkpoint.save(checkpoints().resolve("last.safetensors"), model, config, epoch, step, dice);
        if (best) {
            Checkpoint.save(checkpoints().resolve("best.safetensors"), model, config, epoch, step, dice);
        }
        MetricsCsv.write(runDir.resolve("metrics.csv"), history);
        Plots.write(runDir.resolve("plots"), history);
    }

    private record Resumed(int epoch, long step, List<EpochRecord> history) {}

    private Resumed loadLast(VNet model, Adam adam) throws IOException {
        Checkpoint last = Checkpoint.load(checkpoints().resolve("last.safetensors"));
        if (!last.config().equals(config)) {
            throw new TrainingException("cannot resume " + runDir + ": its configuration differs from this one; "
                    + "resume with the same options (saved in " + runDir.resolve("config.json") + ")");
        }
        SafetensorsFile state = Safetensors.read(checkpoints().resolve("last.state.safetensors"));
        int stateEpoch = Integer.parseInt(state.metadata().getOrDefault("epoch", "-1"));
        if (stateEpoch != last.epoch()) {
            throw new TrainingException("cannot resume " + runDir + ": last.safetensors is from epoch " + last.epoch()
                    + " but last.state.safetensors from epoch " + stateEpoch + " (a crash between the two writes?)");
        }
        model.loadStateDict(last.model().stateDict());
        adam.loadStateDict(state.tensors());
        List<EpochRecord> history;
        try {
            history = GSON.fromJson(state.metadata().get("history"), new TypeToken<List<EpochRecord>>() {}.getType());
        } catch (JsonParseException e) {
            throw new TrainingException("cannot resume " + runDir + ": the saved history is unreadable: " + e.getMessage());
        }
        return new Resumed(last.epoch(), last.step(), history == null ? List.of() : history);
    }

    /**
     * Saves the current weights to {@code checkpoints/interrupted.safetensors} when the JVM is interrupted mid-run,
     * labelled with the epoch they are from: the last completed one between epochs (0 before the first step), the
     * one under way once a step of it is taken, its {@code step} saying how far it got.
     */
    static final class Interrupt implements Runnable {
        private final VNet model;
        private final TrainConfig config;
        private final Path file;
        private final Object stepLock;
        volatile boolean finished;
        private volatile int epoch;
        private volatile long step;
        private volatile boolean midEpoch;

        /**
         * @param completedEpoch the last completed epoch when the run starts (0 for a new run)
         * @param step           optimiser steps taken by then
         */
        Interrupt(VNet model, TrainConfig config, Path file, Object stepLock, int completedEpoch, long step) {
            this.model = model;
            this.config = config;
            this.file = file;
            this.stepLock = stepLock;
            this.epoch = completedEpoch;
            this.step = step;
        }

        /** A step of {@code epoch} is done: the weights are partway through it. */
        void stepDone(int epoch, long step) {
            this.epoch = epoch;
            this.step = step;
            midEpoch = true;
        }

        /** {@code epoch} is complete and saved. */
        void epochDone(int epoch) {
            this.epoch = epoch;
            midEpoch = false;
        }

        @Override
        public void run() {
            if (finished) {
                return;
            }
            synchronized (stepLock) {
                try {
                    Checkpoint.save(file, model, config, epoch, step, Double.NaN);
                    System.err.println("interrupted " + (midEpoch ? "during" : "after") + " epoch " + epoch + ", step "
                            + step + ": weights saved to " + file + "; --resume continues from the last completed epoch");
                } catch (IOException | RuntimeException e) {
                    System.err.println("interrupted: could not save " + file + ": " + e.getMessage());
                }
            }
        }
    }
}
