package dev.vnet.train;

import dev.vnet.io.DataFingerprint;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every trainer of the library shares, set the same way on {@link Trainer.Builder} and on the cell
 * classifier's builder. Self-typed, so that each setter returns the trainer's own builder and a chain goes on with
 * that trainer's options: {@code Trainer.builder(config, samples, dir).quiet(true).loss(l)}.
 *
 * @param <B> the trainer's builder
 */
public abstract class RunBuilder<B extends RunBuilder<B>> {
    private boolean quiet;
    private boolean resume;
    private boolean overwrite;
    private int stopAfterEpoch = Integer.MAX_VALUE;
    private Duration timeBudget;
    private PrintStream log = System.err;
    private boolean saveOnInterrupt;
    private DataFingerprint data;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** A builder with every option at its default. */
    protected RunBuilder() {}

    /**
     * The options as set.
     *
     * @param quiet           no per-epoch lines
     * @param resume          whether the run continues the one in its folder
     * @param overwrite       whether a new run may clear a non-empty folder
     * @param stopAfterEpoch  the last epoch to run ({@link Integer#MAX_VALUE} for all)
     * @param timeBudget      the longest the run may take, or null
     * @param log             where progress and epoch lines go
     * @param saveOnInterrupt whether an interrupt saves the weights
     * @param data            the fingerprint to record in {@code data.sha256}, or null
     * @param listeners       the listeners added, in order
     */
    public record Options(boolean quiet, boolean resume, boolean overwrite, int stopAfterEpoch, Duration timeBudget,
                          PrintStream log, boolean saveOnInterrupt, DataFingerprint data,
                          List<TrainingListener> listeners) {
        /** {@return the log, or null if quiet} */
        public PrintStream lines() {
            return quiet ? null : log;
        }

        /**
         * Checks {@code folder} for a new or a resumed run ({@link RunFolder#prepare}) and records the data in it
         * ({@link RunFolder#recordData}): call it while holding the folder's lock.
         *
         * @param folder the run folder
         * @throws IOException if the folder is not fit for the run, or resumed with other data
         */
        public void prepare(RunFolder folder) throws IOException {
            folder.prepare(resume, overwrite);
            if (data != null) {
                folder.recordData(data, resume);
            }
        }
    }

    /** {@return the options set so far} */
    protected final Options options() {
        return new Options(quiet, resume, overwrite, stopAfterEpoch, timeBudget, log, saveOnInterrupt, data,
                List.copyOf(listeners));
    }

    /** {@return this builder, as the trainer's builder} */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /**
     * No per-epoch lines.
     *
     * @param v whether to stay silent
     * @return this builder
     */
    public B quiet(boolean v) {
        quiet = v;
        return self();
    }

    /**
     * Continue the run in the run folder from its last completed epoch.
     *
     * @param v whether to resume
     * @return this builder
     */
    public B resume(boolean v) {
        resume = v;
        return self();
    }

    /**
     * Allow a non-empty run folder for a new run: the files of the run in it are deleted first
     * ({@link RunFolder#clear}).
     *
     * @param v whether to allow it
     * @return this builder
     */
    public B overwrite(boolean v) {
        overwrite = v;
        return self();
    }

    /**
     * Stop (as if interrupted) after this epoch, leaving a resumable run; for tests.
     *
     * @param epoch the last epoch to run
     * @return this builder
     */
    public B stopAfterEpoch(int epoch) {
        stopAfterEpoch = epoch;
        return self();
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
     * Where progress and epoch lines go (stderr by default).
     *
     * @param out the stream
     * @return this builder
     */
    public B log(PrintStream out) {
        log = out;
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

    /**
     * Record the data in {@code data.sha256} (a resumed run must go on with the same).
     *
     * @param fingerprint the data's fingerprint, or null to record none
     * @return this builder
     */
    public B data(DataFingerprint fingerprint) {
        data = fingerprint;
        return self();
    }

    /**
     * Adds a listener (after the trainer's own, if it has any).
     *
     * @param l the listener
     * @return this builder
     */
    public B listener(TrainingListener l) {
        listeners.add(l);
        return self();
    }
}
