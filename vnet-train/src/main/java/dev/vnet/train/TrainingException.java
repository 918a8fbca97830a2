package dev.vnet.train;

/** A training run that cannot continue (non-finite loss, unusable run folder, inconsistent checkpoint). */
public final class TrainingException extends RuntimeException {
    /** A failure with a message saying what and where. */
    public TrainingException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
