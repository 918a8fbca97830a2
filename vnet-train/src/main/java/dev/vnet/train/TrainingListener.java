package dev.vnet.train;

import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.train.detect.ThresholdChoice;
import java.io.IOException;
import java.util.List;

/**
 * Follows a {@link Trainer}'s run: every file and line a run writes besides its checkpoints (the metrics table, the
 * report, plots, figures, progress) comes from a listener. Callbacks arrive on the training thread, in this order:
 * {@link #runStarted} once; per epoch {@link #epochStarted}, {@link #stepEnded} per batch, {@link #trainingPassEnded},
 * {@link #epochEnded} (after the epoch's checkpoints are saved); then {@link #runEnded} or, when the run stops before
 * its last epoch, {@link #runStopped}; {@link #close} always, also when the run fails.
 */
public interface TrainingListener extends AutoCloseable {
    /**
     * What a run starts from.
     *
     * @param config           the configuration
     * @param folder           the run folder
     * @param resumed          whether the run continues a saved one
     * @param completedEpochs  epochs completed before this invocation (0 for a new run)
     * @param step             optimiser steps taken before this invocation
     * @param trainImages      images in the training split
     * @param validationImages images in the validation split
     */
    record RunStart(TrainConfig config, RunFolder folder, boolean resumed, int completedEpochs, long step,
                    int trainImages, int validationImages) {}

    /**
     * One validation image as the best model saw and predicted it, at model resolution ({@code h × w} values each).
     * For a point detector the image is the whole photograph at the working scale, the truth its heat-map target (a
     * peak of exactly 1 at each labelled blast) and the probabilities the network's heat-map.
     *
     * @param sample        the sample
     * @param image         the network's input as an image
     * @param truth         the true mask, or a detector's heat-map target
     * @param probabilities the predicted foreground probabilities, or a detector's heat-map
     */
    record ImagePrediction(Sample sample, Image8 image, float[] truth, float[] probabilities) {}

    /**
     * The final evaluation of a finished run: the best epoch's weights on the validation set.
     *
     * @param run         what the run started from
     * @param bestEpoch   the epoch with the highest validation Dice
     * @param metrics     its metrics on the validation set
     * @param history     every epoch's record
     * @param predictions every validation image with its prediction, in loader order
     * @param detection   a point detector's thresholds and per-image numbers on the validation set (touching pairs,
     *                    image AUC), or {@code null} for a mask model
     */
    record FinalEvaluation(RunStart run, int bestEpoch, Metrics metrics, List<EpochRecord> history,
                           List<ImagePrediction> predictions, ThresholdChoice detection) {
        /**
         * A mask model's final evaluation.
         *
         * @param run         what the run started from
         * @param bestEpoch   the epoch with the highest validation Dice
         * @param metrics     its metrics on the validation set
         * @param history     every epoch's record
         * @param predictions every validation image with its prediction, in loader order
         */
        public FinalEvaluation(RunStart run, int bestEpoch, Metrics metrics, List<EpochRecord> history,
                               List<ImagePrediction> predictions) {
            this(run, bestEpoch, metrics, history, predictions, null);
        }
    }

    /**
     * The run starts (after the folder is prepared and a resumed run loaded).
     *
     * @param start what it starts from
     * @throws IOException if a file cannot be written
     */
    default void runStarted(RunStart start) throws IOException {}

    /**
     * An epoch's training pass starts.
     *
     * @param epoch  1-based epoch number
     * @param images images the pass will go through
     */
    default void epochStarted(int epoch, int images) {}

    /**
     * An optimiser step is done.
     *
     * @param epoch  the epoch
     * @param step   optimiser steps taken so far
     * @param loss   the batch's loss before the step
     * @param images images in the batch
     */
    default void stepEnded(int epoch, long step, double loss, int images) {}

    /**
     * The epoch's training pass is done; validation follows.
     *
     * @param epoch the epoch
     */
    default void trainingPassEnded(int epoch) {}

    /**
     * An epoch is validated and saved.
     *
     * @param record  its record
     * @param history every record so far, this one last
     * @param best    whether this epoch has the best validation Dice so far
     * @throws IOException if a file cannot be written
     */
    default void epochEnded(EpochRecord record, List<EpochRecord> history, boolean best) throws IOException {}

    /**
     * An epoch is over, its files written by every listener's {@link #epochEnded}: where its time went.
     *
     * @param timing the epoch's steps, validation and whole wall time
     */
    default void epochTimed(EpochTiming timing) {}

    /**
     * The run stops before its last epoch ({@link RunBuilder#stopAfterEpoch}); it can be resumed.
     *
     * @param lastEpoch the last completed epoch
     */
    default void runStopped(int lastEpoch) {}

    /**
     * Every epoch is done and the best model evaluated.
     *
     * @param evaluation the best model on the validation set
     * @throws IOException if a file cannot be written
     */
    default void runEnded(FinalEvaluation evaluation) throws IOException {}

    /** The run is over, finished or not: release what the listener holds. */
    @Override
    default void close() {}
}
