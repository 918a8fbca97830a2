package dev.vnet.train;

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
}
