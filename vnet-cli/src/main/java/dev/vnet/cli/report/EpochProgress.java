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

    @Override
    public void runStarted(RunStart start) {
        epochs = start.config().epochs();
    }

    @Override
    public void epochStarted(int epoch, int images) {
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(images).setUnit(" img", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(out, 110)).build();
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
