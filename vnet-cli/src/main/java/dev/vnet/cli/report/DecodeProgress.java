package dev.vnet.cli.report;

import dev.vnet.io.allidb.DatasetCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar for the full decode of a data set ({@link DatasetCheck}): images done, ETA, the image at hand. */
public final class DecodeProgress implements DatasetCheck.Progress, AutoCloseable {
    private final PrintStream out;
    private ProgressBar bar;

    /**
     * A bar on {@code out}, drawn from the first image on.
     *
     * @param out the stream (stderr for the command line)
     */
    public DecodeProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(int done, int total, Path next) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("checking images").setInitialMax(total).setUnit(" img", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 110)).build();
        }
        bar.stepTo(done);
        bar.setExtraMessage(next == null ? "" : next.getFileName().toString());
        if (done == total && next == null) {
            close();
        }
    }

    @Override
    public void close() {
        ProgressBar drawn = bar;
        bar = null;
        if (drawn != null) {
            drawn.close();
        }
    }
}
