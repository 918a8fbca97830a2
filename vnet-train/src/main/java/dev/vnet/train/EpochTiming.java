package dev.vnet.train;

/**
 * Where the wall time of one epoch went: the optimiser steps, the validation and everything else (preparing the
 * batches the steps waited for, the training metrics, saving the checkpoints, the listeners' files). An epoch that
 * costs its steps has {@link #overhead()} near 1.
 *
 * @param epoch             1-based epoch number
 * @param steps             optimiser steps in the epoch
 * @param stepSeconds       wall time inside the steps (forward, loss, backward, Adam), summed
 * @param validationSeconds wall time of the validation
 * @param seconds           wall time of the whole epoch, from its first batch to the end of its listeners
 */
public record EpochTiming(int epoch, int steps, double stepSeconds, double validationSeconds, double seconds) {

    /** {@return the epoch's time over that of its steps and validation (1 = nothing else took time)} */
    public double overhead() {
        return seconds / (stepSeconds + validationSeconds);
    }

    /** {@return wall time neither in a step nor in the validation, in seconds} */
    public double otherSeconds() {
        return seconds - stepSeconds - validationSeconds;
    }
}
