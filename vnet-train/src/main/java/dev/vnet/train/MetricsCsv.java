package dev.vnet.train;

import dev.vnet.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch CSV of a run: one row per epoch with {@code epoch, step, learning_rate, seconds},
 * then every {@link Metrics#KEYS metric} prefixed {@code train_} and then {@code val_}.
 */
public final class MetricsCsv {
    private MetricsCsv() {}

    /** {@return the header line} */
    public static String header() {
        StringBuilder b = new StringBuilder("epoch,step,learning_rate,seconds");
        for (String prefix : new String[] {"train_", "val_"}) {
            for (String k : Metrics.KEYS) {
                b.append(',').append(prefix).append(k);
            }
        }
        return b.toString();
    }

    /**
     * {@return one row}
     *
     * @param r the epoch
     */
    public static String row(EpochRecord r) {
        StringBuilder b = new StringBuilder();
        b.append(r.epoch()).append(',').append(r.step()).append(',').append(num(r.learningRate()))
                .append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds()));
        for (Metrics m : new Metrics[] {r.train(), r.validation()}) {
            var map = m.toMap();
            for (String k : Metrics.KEYS) {
                b.append(',').append(num(map.get(k)));
            }
        }
        return b.toString();
    }

    private static String num(double v) {
        // Shortest repr that round-trips: resumed and uninterrupted runs compare equal as text.
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /**
     * Writes the whole table to {@code file} (atomically).
     *
     * @param file    the CSV file
     * @param records every epoch so far
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Path file, List<EpochRecord> records) throws IOException {
        StringBuilder b = new StringBuilder(header()).append('\n');
        for (EpochRecord r : records) {
            b.append(row(r)).append('\n');
        }
        AtomicFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@return a listener that rewrites the run's {@code metrics.csv} after every epoch} */
    public static TrainingListener writer() {
        return new TrainingListener() {
            private Path file;

            @Override
            public void runStarted(RunStart start) {
                file = start.folder().dir().resolve("metrics.csv");
            }

            @Override
            public void epochEnded(EpochRecord record, List<EpochRecord> history, boolean best) throws IOException {
                write(file, history);
            }
        };
    }
}
