package dev.vnet.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A run's wall-clock budget ({@link RunBuilder#timeBudget}), counted from the run's start: an epoch is started only
 * while the time so far plus 1.5 times the last epoch's fits, so that a preset meets a deadline on a slower CPU with
 * fewer epochs. The first epoch of an invocation always runs.
 */
public final class TimeBudget {
    private final Duration limit;
    private final long startNanos = System.nanoTime();

    /**
     * A budget that starts now.
     *
     * @param limit the longest the run may take; null for no limit
     */
    public TimeBudget(Duration limit) {
        this.limit = limit;
    }

    /**
     * Whether {@code epoch} may start; if not, says so on {@code log}.
     *
     * @param epoch            the epoch about to start
     * @param firstEpoch       the first epoch of this invocation (after the last completed one of a resumed run)
     * @param lastEpochSeconds the wall time of the epoch before {@code epoch}
     * @param epochs           the run's configured epochs
     * @param log              where to say that the run ends, or null to say nothing
     * @return whether the epoch fits
     */
    public boolean allows(int epoch, int firstEpoch, double lastEpochSeconds, int epochs, PrintStream log) {
        if (limit == null || epoch <= firstEpoch) {
            return true;
        }
        double spent = (System.nanoTime() - startNanos) / 1e9;
        if (spent + 1.5 * lastEpochSeconds <= limit.toMillis() / 1000.0) {
            return true;
        }
        if (log != null) {
            log.printf(Locale.ROOT, "time budget of %d min: ending after epoch %d of %d%n", limit.toMinutes(),
                    epoch - 1, epochs);
        }
        return false;
    }
}
