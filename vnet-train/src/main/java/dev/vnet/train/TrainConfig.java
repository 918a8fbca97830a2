package dev.vnet.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.train.detect.DetectionConfig;
import java.util.Locale;

/**
 * Everything that decides a training run; saved as {@code config.json} in the run folder, enough to
 * reproduce the run with the same seed and thread count.
 *
 * @param preset             the preset this configuration started from ({@code paper}, {@code recommended}, {@code demo})
 * @param model              the network
 * @param preprocess         image and mask preparation
 * @param evaluation         how predictions become masks and cells
 * @param epochs             passes over the training set
 * @param batchSize          images per optimiser step
 * @param learningRate       Adam's learning rate
 * @param weightDecay        Adam's (L2) weight decay
 * @param diceWeight         weight α of the Dice loss in {@code α·Dice + β·BCE}
 * @param bceWeight          weight β of the binary cross-entropy
 * @param validationFraction fraction of the images held out for validation (stratified by label)
 * @param augment            flips, 90° rotations and mild colour jitter on training images
 * @param seed               the seed of the split, the initial weights, the shuffling and the augmentation
 * @param threads            worker threads of the engine (results are bit-identical for the same count)
 * @param foregroundPrior    if {@code > 0}, the output bias starts at {@code log(π / (1 − π))} for this π, so the
 *                           first predictions say "blast" with probability π instead of 0.5 (the prior
 *                           initialisation of RetinaNet): blasts cover about 1% of a smear, and from 0.5 the BCE
 *                           spends hundreds of Adam steps just moving that one bias; 0 = the layer's usual start
 * @param detection          {@code null} for the method's masks (whole image at the input size, circles, connected
 *                           components); otherwise the point detector: a heat-map of blast centres learned on patches at
 *                           a working scale tied to the blast size, decoded by its peaks ({@link DetectionConfig}); the
 *                           image preparation then comes from these settings and {@code preprocess} only gives the
 *                           channel count, and an epoch is {@code detection.patchesPerEpoch()} patches
 */
public record TrainConfig(String preset, VNetConfig model, PreprocessConfig preprocess, EvaluationConfig evaluation,
                          int epochs, int batchSize, double learningRate, double weightDecay, float diceWeight,
                          float bceWeight, double validationFraction, boolean augment, long seed, int threads,
                          double foregroundPrior, DetectionConfig detection) {

    /**
     * The blast diameter, in pixels, of the demo's smears: ALL-IDB1's 112 px at a quarter of the magnification
     * ({@code Camera.CAMERA_1712.scaled(0.25)}).
     */
    public static final double DEMO_BLAST_DIAMETER = 28;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Validates the values.
     *
     * @param preset             the preset this configuration started from ({@code paper}, {@code recommended},
     *                           {@code demo})
     * @param model              the network
     * @param preprocess         image and mask preparation
     * @param evaluation         how predictions become masks and cells
     * @param epochs             passes over the training set
     * @param batchSize          images per optimiser step
     * @param learningRate       Adam's learning rate
     * @param weightDecay        Adam's (L2) weight decay
     * @param diceWeight         weight α of the Dice loss in {@code α·Dice + β·BCE}
     * @param bceWeight          weight β of the binary cross-entropy
     * @param validationFraction fraction of the images held out for validation (stratified by label)
     * @param augment            flips, 90° rotations and mild colour jitter on training images
     * @param seed               the seed of the split, the initial weights, the shuffling and the augmentation
     * @param threads            worker threads of the engine (results are bit-identical for the same count)
     * @param foregroundPrior    if {@code > 0}, the output bias starts at {@code log(π / (1 − π))} for this π, so the
     *                           first predictions say "blast" with probability π instead of 0.5 (the prior
     *                           initialisation of RetinaNet): blasts cover about 1% of a smear, and from 0.5 the BCE
     *                           spends hundreds of Adam steps just moving that one bias; 0 = the layer's usual start
     * @param detection          {@code null} for the method's masks, or the point detector's settings
     */
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!(foregroundPrior >= 0 && foregroundPrior < 1)) {
            throw new IllegalArgumentException("foreground prior must be in [0, 1), got " + foregroundPrior);
        }
        if (detection != null && model.inChannels() != 3) {
            throw new IllegalArgumentException("the point detector sees RGB images, but the model takes "
                    + model.inChannels() + " input channel(s)");
        }
        if (model.inChannels() != preprocess.channels()) {
            throw new IllegalArgumentException("the model takes " + model.inChannels() + " input channels but the "
                    + "preprocessing gives " + preprocess.channels() + (preprocess.gray() ? " (gray)" : " (RGB)"));
        }
    }

    private static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@return the method as published: gray 256×256, Gaussian, median, CLAHE, r = 25 px circles at the original
     * resolution, Dice + BCE 1:1, Adam 1e-4, batch 4, 20 epochs, 80/20 split, no augmentation, ReLU, MONAI's conv
     * counts}
     */
    public static TrainConfig paper() {
        return new TrainConfig("paper", VNetConfig.monai(), PreprocessConfig.paper(), EvaluationConfig.DEFAULT,
                20, 4, 1e-4, 0, 1f, 1f, 0.2, false, 42, defaultThreads(), 0, null);
    }

    /**
     * The point detector: it finds blasts by their centres, so touching blasts stay apart. RGB photographs at a
     * working scale where a blast of the expected 112 original pixels is 28 px across (1/4 for ALL-IDB1, the same on
     * both of its cameras); a heat-map target with a Gaussian peak at every labelled centre; training on 128×128
     * patches centred on blasts (45%), other purple objects (30%, the hard negatives) and anywhere (25%), flipped,
     * turned and stain-jittered as the data card's cameras vary; binary cross-entropy on the soft heat-map (on
     * synthetic touching clusters it separated 20 of 20 and 18 of 18 pairs in two runs, the CenterNet focal loss 18 of
     * 20 and, still flat after the same steps, 0 of 18); V-Net of base
     * width 16, Adam 3e-3, batch 8; 25 epochs of 512 patches (sized for 30 minutes on 2 cores); validation on whole photographs
     * in one forward pass each (up to 5 × 256² pixels, tiles overlapping by 32 beyond), decoded by the heat-map's local maxima at least 0.55 blast diameters apart,
     * with the cell and image thresholds chosen for the best F1 on the validation images and stored in the checkpoint;
     * the best epoch by validation cell F1.
     *
     * <p>Measurements (synthetic smears, loss and connected components against peaks) and the commands are in
     * {@code docs/presets.md}.
     *
     * @return the configuration
     */
    public static TrainConfig recommended() {
        PreprocessConfig p = new PreprocessConfig(false, 256, 256, 0, 0, 0, 0, 8, 8, 0, 0.025);
        return new TrainConfig("recommended", VNetConfig.builder().inChannels(3).build(), p, EvaluationConfig.DEFAULT,
                25, 8, 3e-3, 0, 1f, 1f, 0.2, true, 42, defaultThreads(), 0.01, DetectionConfig.allIdb1(512));
    }

    /**
     * The point detector, small and fast, for the demo's synthetic smears: ALL-IDB1's 1712×1368 camera at a quarter
     * of its magnification (428×342, blasts about {@value #DEMO_BLAST_DIAMETER} px across, seen at their own size as
     * {@code recommended} sees real ones at a quarter); V-Net of base width 8, patches of 64×64, 8 epochs of 256
     * patches, batch 8, Adam 3e-3; validation, thresholds and the best epoch as in {@link #recommended()}.
     *
     * @return the demo preset
     */
    public static TrainConfig demo() {
        PreprocessConfig p = new PreprocessConfig(false, 256, 256, 0, 0, 0, 0, 8, 8, 0, 0.025);
        VNetConfig m = VNetConfig.builder().inChannels(3).baseWidth(8).build();
        DetectionConfig r = DetectionConfig.allIdb1(256).withBlastDiameter(DEMO_BLAST_DIAMETER);
        // A pass of 4 × 448² pixels holds a whole 428×342 smear: one tile of 432×352.
        DetectionConfig d = new DetectionConfig(r.blastDiameter(), r.targetDiameter(), 64, 256, r.loss(), 448, 32,
                4, r.cellThreshold(), r.imageThreshold(), r.matchDistance(), r.pairDistance());
        return new TrainConfig("demo", m, p, EvaluationConfig.DEFAULT, 6, 8, 3e-3, 0, 1f, 1f, 0.2, true, 7,
                defaultThreads(), 0.01, d);
    }

    /**
     * {@return the preset of that name}
     *
     * @param name {@code paper}, {@code recommended} or {@code demo}, in any case
     */
    public static TrainConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "paper" -> paper();
            case "recommended" -> recommended();
            case "demo" -> demo();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "': expected paper, recommended or demo");
        };
    }

    /**
     * {@return this configuration with other detection settings (e.g. the thresholds chosen on validation)}
     *
     * @param d the detection settings
     */
    public TrainConfig withDetection(DetectionConfig d) {
        return toBuilder().detection(d).build();
    }

    /**
     * {@return whether {@code other} describes the same run: equal but for the detection thresholds, which a run
     * chooses on its validation images and stores with each checkpoint}
     *
     * @param other the other configuration
     */
    public boolean sameRun(TrainConfig other) {
        if (detection == null || other.detection == null) {
            return equals(other);
        }
        return equals(other.withDetection(other.detection.withThresholds(detection.cellThreshold(),
                detection.imageThreshold())));
    }

    /** {@return this configuration as pretty JSON} */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a configuration written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the configuration
     */
    public static TrainConfig fromJson(String json) {
        try {
            TrainConfig c = GSON.fromJson(json, TrainConfig.class);
            if (c == null || c.model() == null || c.preprocess() == null || c.evaluation() == null) {
                throw new IllegalArgumentException("training configuration JSON is incomplete");
            }
            return c;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("training configuration is not valid JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws: the validation message, or a null where a part is missing.
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException iae) {
                    throw new IllegalArgumentException(iae.getMessage(), e);
                }
            }
            throw new IllegalArgumentException("training configuration JSON is incomplete: a part is missing, null or of "
                    + "the wrong type", e);
        }
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few fields of a configuration. */
    public static final class Builder {
        private String preset;
        private VNetConfig model;
        private PreprocessConfig preprocess;
        private EvaluationConfig evaluation;
        private int epochs;
        private int batchSize;
        private double learningRate;
        private double weightDecay;
        private float diceWeight;
        private float bceWeight;
        private double validationFraction;
        private boolean augment;
        private long seed;
        private int threads;
        private double foregroundPrior;
        private DetectionConfig detection;

        private Builder(TrainConfig c) {
            preset = c.preset;
            model = c.model;
            preprocess = c.preprocess;
            evaluation = c.evaluation;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            diceWeight = c.diceWeight;
            bceWeight = c.bceWeight;
            validationFraction = c.validationFraction;
            augment = c.augment;
            seed = c.seed;
            threads = c.threads;
            foregroundPrior = c.foregroundPrior;
            detection = c.detection;
        }

        /**
         * {@return the network}
         *
         * @param v the network
         */
        public Builder model(VNetConfig v) {
            model = v;
            return this;
        }

        /**
         * {@return the preprocessing}
         *
         * @param v the image and mask preparation
         */
        public Builder preprocess(PreprocessConfig v) {
            preprocess = v;
            return this;
        }

        /**
         * {@return the evaluation settings}
         *
         * @param v how predictions become masks and cells
         */
        public Builder evaluation(EvaluationConfig v) {
            evaluation = v;
            return this;
        }

        /**
         * Square input size {@code s × s}: the training patch of the point detector, the whole image's size otherwise.
         *
         * @param s side in pixels
         * @return this builder
         */
        public Builder size(int s) {
            if (detection != null) {
                detection = detection.withPatchSize(s);
                return this;
            }
            preprocess = preprocess.withSize(s, s);
            return this;
        }

        /**
         * Epochs.
         *
         * @param v passes over the training set, at least 1
         * @return this builder
         */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /**
         * Batch size.
         *
         * @param v images per optimiser step, at least 1
         * @return this builder
         */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * Learning rate.
         *
         * @param v Adam's learning rate, {@code > 0}
         * @return this builder
         */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /**
         * Weight decay.
         *
         * @param v Adam's L2 weight decay
         * @return this builder
         */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /**
         * Loss weights α (Dice) and β (BCE).
         *
         * @param dice α
         * @param bce  β
         * @return this builder
         */
        public Builder lossWeights(float dice, float bce) {
            diceWeight = dice;
            bceWeight = bce;
            return this;
        }

        /**
         * Validation fraction.
         *
         * @param v the held-out fraction, in (0, 1)
         * @return this builder
         */
        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        /**
         * Augmentation on or off.
         *
         * @param v whether to augment training images
         * @return this builder
         */
        public Builder augment(boolean v) {
            augment = v;
            return this;
        }

        /**
         * Seed.
         *
         * @param v the seed of the split, the weights, the shuffling and the augmentation
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Threads.
         *
         * @param v engine threads, at least 1
         * @return this builder
         */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /**
         * {@return the starting output probability (0 = off)}
         *
         * @param v the starting probability π in [0, 1), 0 for the layer's usual start
         */
        public Builder foregroundPrior(double v) {
            foregroundPrior = v;
            return this;
        }

        /**
         * {@return the point detector's settings, or {@code null} for the method's masks}
         *
         * @param v the detection settings, or {@code null}
         */
        public Builder detection(DetectionConfig v) {
            detection = v;
            return this;
        }

        /** {@return the configuration; validates it} */
        public TrainConfig build() {
            return new TrainConfig(preset, model, preprocess, evaluation, epochs, batchSize, learningRate, weightDecay,
                    diceWeight, bceWeight, validationFraction, augment, seed, threads, foregroundPrior, detection);
        }
    }
}
