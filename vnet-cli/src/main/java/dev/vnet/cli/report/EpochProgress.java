package dev.vnet.cli.report;

import dev.vnet.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for each epoch's training pass (images done, ETA, images per second, running loss).
 */
public final class EpochProgress implements TrainingListener {
    private final PrintStream out;
    private int epochs;
    private ProgressBar bar;

    /**
     * Bars on {@code out}.
     *
     * @param out the stream (stderr for the command line)
     */
    public EpochProgress(PrintStream out) {
        this.out = out;
    }

    /**
     * Bars on {@code out} for a run of {@code epochs} epochs whose trainer does not report {@link #runStarted} (the
     * cell classifier's).
     *
     * @param out    the stream (stderr for the command line)
     * @param epochs the run's epochs
     */
    public EpochProgress(PrintStream out, int epochs) {
        this.out = out;
        this.epochs = epochs;
    }

    @Override
    public void runStarted(RunStart start) {
        epochs = start.config().epochs();
    }

    @Override
    public void epochStarted(int epoch, int images) {
        bar = imageBar(out, String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), images);
    }

    /**
     * {@return a progress bar of images on {@code out}: count, ETA and images per second}
     *
     * @param out    the stream (stderr for the command line)
     * @param task   the name shown before the bar
     * @param images the number of images to go through
     */
    public static ProgressBar imageBar(PrintStream out, String task, long images) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(images).setUnit(" img", 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out, 110)).build();
    }

    @Override
    public void stepEnded(int epoch, long step, double loss, int images) {
        bar.stepBy(images);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
    }

    @Override
    public void trainingPassEnded(int epoch) {
        close();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
