package dev.vnet.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A training run that cannot continue (non-finite loss, unusable run folder, inconsistent checkpoint). */
public final class TrainingException extends RuntimeException {
    /**
     * A failure with a message saying what and where.
     *
     * @param message what failed and where
     */
    public TrainingException(String message) {
        super(message);
    }

    /**
     * A failure with its cause.
     *
     * @param message what failed and where
     * @param cause   the underlying failure
     */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@return a run stopped by a non-finite {@code what} (loss, weights, validation loss) in {@code epoch}, saying
     * which checkpoint is the last good one}
     *
     * @param what           what was not finite
     * @param epoch          the epoch under way
     * @param step           the optimiser step under way or last taken
     * @param detail         where the value was
     * @param lastCheckpoint the weights of the last completed epoch, if one was completed
     */
    public static TrainingException nonFinite(String what, int epoch, long step, String detail, Path lastCheckpoint) {
        return new TrainingException(String.format(Locale.ROOT,
                "training stopped: non-finite %s at epoch %d, step %d: %s; %s", what, epoch, step, detail,
                Files.exists(lastCheckpoint) ? "the last good checkpoint is " + lastCheckpoint + " (epoch " + (epoch - 1)
                        + ")" : "no epoch was completed, so there is no checkpoint"));
    }
}
