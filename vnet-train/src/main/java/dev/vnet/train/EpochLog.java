package dev.vnet.train;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The lines a run prints: where a resumed run continues, each epoch's metrics, and where a stopped run stopped. */
public final class EpochLog implements TrainingListener {
    private final PrintStream out;
    private TrainConfig config;

    /**
     * A log onto {@code out}.
     *
     * @param out the stream
     */
    public EpochLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void runStarted(RunStart start) {
        config = start.config();
        if (start.resumed()) {
            out.println("resuming " + start.folder().dir() + " after epoch " + start.completedEpochs() + " (step "
                    + start.step() + ")");
        }
    }

    @Override
    public void epochEnded(EpochRecord r, List<EpochRecord> history, boolean best) {
        out.printf(Locale.ROOT, "epoch %d/%d  %.1fs  train: %s%n             val:   %s%s%n", r.epoch(), config.epochs(),
                r.seconds(), r.train().summary(), r.validation().summary(), best ? "  (best)" : "");
    }

    @Override
    public void epochTimed(EpochTiming t) {
        out.printf(Locale.ROOT, "             time:  %d steps %.1fs, validation %.1fs, other %.1fs (%.3fx steps + "
                + "validation)%n", t.steps(), t.stepSeconds(), t.validationSeconds(), t.otherSeconds(), t.overhead());
    }

    @Override
    public void runStopped(int lastEpoch) {
        out.println("stopped after epoch " + lastEpoch + " of " + config.epochs() + "; continue with --resume");
    }
}
