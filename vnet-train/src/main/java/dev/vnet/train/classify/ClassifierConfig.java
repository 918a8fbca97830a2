package dev.vnet.train.classify;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * Everything that decides a cell classifier and its training run; saved as {@code config.json} in the run folder and
 * inside every checkpoint, so that a checkpoint alone rebuilds the network and its input.
 *
 * @param inputSize          side in pixels of the square RGB input every crop is resized to
 * @param baseWidth          channels of the stem and of the first stage; each further stage doubles them
 * @param stages             residual stages, each but the first halving the resolution
 * @param blocksPerStage     residual blocks per stage
 * @param dropout            dropout before the linear head, in [0, 1)
 * @param epochs             epochs of training
 * @param batchSize          crops per optimiser step
 * @param learningRate       Adam's learning rate
 * @param weightDecay        Adam's L2 weight decay
 * @param labelSmoothing     cross-entropy label smoothing, in [0, 1)
 * @param validationFraction share of the crops held out to choose the best epoch (0: none, the last epoch is kept)
 * @param augment            whether training crops are flipped, turned by multiples of 90° and stain-jittered
 * @param seed               seed of the split, the weights, the shuffling and the augmentation
 * @param threads            engine threads (the same count gives the same numbers)
 */
public record ClassifierConfig(int inputSize, int baseWidth, int stages, int blocksPerStage, double dropout, int epochs,
                               int batchSize, double learningRate, double weightDecay, double labelSmoothing,
                               double validationFraction, boolean augment, long seed, int threads) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Checks every value.
     *
     * @param inputSize          input side in pixels, 16 to 1024
     * @param baseWidth          channels of the first stage, 1 to 1024
     * @param stages             residual stages, 1 to 6
     * @param blocksPerStage     blocks per stage, 1 to 16
     * @param dropout            dropout before the head, in [0, 1)
     * @param epochs             epochs, from 1
     * @param batchSize          crops per step, from 1
     * @param learningRate       Adam's learning rate, positive
     * @param weightDecay        Adam's weight decay, from 0
     * @param labelSmoothing     label smoothing, in [0, 1)
     * @param validationFraction share held out to choose the epoch, in [0, 1)
     * @param augment            whether training crops are augmented
     * @param seed               the run's seed
     * @param threads            engine threads, from 1
     * @throws IllegalArgumentException naming the first value out of range
     */
    public ClassifierConfig {
        requireRange("inputSize", inputSize, 16, 1024);
        requireRange("baseWidth", baseWidth, 1, 1024);
        requireRange("stages", stages, 1, 6);
        requireRange("blocksPerStage", blocksPerStage, 1, 16);
        requireRange("epochs", epochs, 1, 1_000_000);
        requireRange("batchSize", batchSize, 1, 1 << 16);
        requireRange("threads", threads, 1, 4096);
        if (inputSize >> (stages - 1) < 2) {
            throw new IllegalArgumentException("inputSize " + inputSize + " is too small for " + stages
                    + " stages: the last stage would see less than 2×2 pixels");
        }
        if (!(dropout >= 0 && dropout < 1) || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("dropout and labelSmoothing must be in [0, 1), got " + dropout + " and "
                    + labelSmoothing);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (!(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 and weightDecay >= 0, got " + learningRate
                    + " and " + weightDecay);
        }
    }

    private static void requireRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be from " + lo + " to " + hi + ", got " + v);
        }
    }

    /**
     * {@return the default: 64×64 input, width 16, 3 stages of 1 block, dropout 0.2, 30 epochs of batch 16, Adam 2e-3,
     * weight decay 1e-4, label smoothing 0.05, a fifth held out to choose the epoch, augmented, seed 1, threads as the
     * processors}
     */
    public static ClassifierConfig defaults() {
        return new ClassifierConfig(64, 16, 3, 1, 0.2, 30, 16, 2e-3, 1e-4, 0.05, 0.2, true, 1,
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@return this configuration with another number of epochs}
     *
     * @param n epochs
     */
    public ClassifierConfig withEpochs(int n) {
        return new ClassifierConfig(inputSize, baseWidth, stages, blocksPerStage, dropout, n, batchSize, learningRate,
                weightDecay, labelSmoothing, validationFraction, augment, seed, threads);
    }

    /**
     * {@return this configuration with another validation fraction}
     *
     * @param f the share of crops held out to choose the epoch, 0 for none
     */
    public ClassifierConfig withValidationFraction(double f) {
        return new ClassifierConfig(inputSize, baseWidth, stages, blocksPerStage, dropout, epochs, batchSize,
                learningRate, weightDecay, labelSmoothing, f, augment, seed, threads);
    }

    /**
     * {@return this configuration with another seed}
     *
     * @param s the seed
     */
    public ClassifierConfig withSeed(long s) {
        return new ClassifierConfig(inputSize, baseWidth, stages, blocksPerStage, dropout, epochs, batchSize,
                learningRate, weightDecay, labelSmoothing, validationFraction, augment, s, threads);
    }

    /** {@return the configuration as JSON} */
    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /**
     * {@return the configuration {@link #toJson} wrote}
     *
     * @param json the JSON text
     * @throws IllegalArgumentException if it is not a valid classifier configuration
     */
    public static ClassifierConfig fromJson(String json) {
        ClassifierConfig c;
        try {
            c = GSON.fromJson(json, ClassifierConfig.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a classifier configuration: " + e.getMessage(), e);
        }
        if (c == null) {
            throw new IllegalArgumentException("not a classifier configuration: empty");
        }
        // Gson fills records through their canonical constructor, so the checks ran.
        return c;
    }
}
