package dev.vnet.cli.report;

import dev.vnet.train.Trainer;

/** What the command line adds to a run besides the trainer's own files: plots, figures and a progress bar. */
public final class RunOutputs {
    private RunOutputs() {}

    /**
     * {@return {@code trainer} with the listeners that draw {@code plots/} (with a point detector's precision-recall
     * and ROC curves) and {@code figures/} and, unless quiet,
     * show a progress bar on stderr}
     *
     * @param trainer the trainer's builder
     * @param quiet   whether to leave out the progress bar
     */
    public static Trainer.Builder addTo(Trainer.Builder trainer, boolean quiet) {
        if (!quiet) {
            trainer.listener(new EpochProgress(System.err));
        }
        return trainer.listener(Plots.writer()).listener(ValidationFigures.writer())
                .listener(DetectionCurves.writer());
    }
}
