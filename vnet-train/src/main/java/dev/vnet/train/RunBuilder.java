package dev.vnet.train;

import java.time.Duration;

/**
 * The options every trainer of the library shares, set the same way on {@link Trainer.Builder} and on the cell
 * classifier's builder. Self-typed, so that each setter returns the trainer's own builder and a chain goes on with
 * that trainer's options.
 *
 * @param <B> the trainer's builder
 */
public abstract class RunBuilder<B extends RunBuilder<B>> {
    private Duration timeBudget;
    private boolean saveOnInterrupt;

    /** A builder with every option at its default. */
    protected RunBuilder() {}

    /**
     * The options as set.
     *
     * @param timeBudget      the longest the run may take, or null
     * @param saveOnInterrupt whether an interrupt saves the weights
     */
    public record Options(Duration timeBudget, boolean saveOnInterrupt) {}

    /** {@return the options set so far} */
    protected final Options options() {
        return new Options(timeBudget, saveOnInterrupt);
    }

    /** {@return this builder, as the trainer's builder} */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /**
     * End the run, complete (the best epoch evaluated, the reports written), before an epoch that would not fit
     * in this wall-clock time: an epoch is started only while the time so far plus 1.5 times the last epoch's
     * fits ({@link TimeBudget}). The same preset then meets a deadline on a slower CPU with fewer epochs; a run so
     * ended can be resumed towards its configured epochs.
     *
     * @param budget the longest the run may take, from its start on; null for none
     * @return this builder
     * @throws IllegalArgumentException if the budget is zero or negative
     */
    public B timeBudget(Duration budget) {
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("time budget must be positive, got " + budget);
        }
        timeBudget = budget;
        return self();
    }

    /**
     * Save the weights to {@code checkpoints/interrupted.safetensors} if the JVM shuts down during the run (Ctrl-C):
     * installs a shutdown hook for the run's duration ({@link InterruptCheckpoint}). Off by default, as a library
     * should not hook into its host's shutdown; the command line turns it on.
     *
     * @param v whether to save on interrupt
     * @return this builder
     */
    public B saveOnInterrupt(boolean v) {
        saveOnInterrupt = v;
        return self();
    }
}
