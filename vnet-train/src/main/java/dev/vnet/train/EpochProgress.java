package dev.vnet.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for one epoch (images done, ETA, images per second, running loss) on stderr, or nothing
 * in quiet mode.
 */
final class EpochProgress implements AutoCloseable {
    private final ProgressBar bar;

    EpochProgress(String task, int images, boolean quiet, PrintStream out) {
        bar = quiet ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(images).setUnit(" img", 1)
                .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out, 110)).build();
    }

    void step(int images, double loss) {
        if (bar != null) {
            bar.stepBy(images);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
