package dev.vnet.cli.report;

import dev.vnet.io.AtomicFiles;
import dev.vnet.train.EpochRecord;
import dev.vnet.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The curves of a run as PNG charts: {@code loss.png}, {@code dice_iou.png}, {@code accuracy.png}
 * (pixel accuracy next to the accuracy of predicting no blast at all) and {@code cells.png}.
 * Rendering uses java.awt without a window; the {@code vnet} command line runs with {@code java.awt.headless=true}.
 */
public final class Plots {
    private Plots() {}

    private record Series(String name, ToDoubleFunction<EpochRecord> value) {}

    /**
     * Writes every chart into {@code dir}.
     *
     * @param dir     the folder to write
     * @param records every epoch so far
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Path dir, List<EpochRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        chart(dir.resolve("loss.png"), "Loss (Dice + BCE)", "loss", records,
                new Series("train", r -> r.train().loss()), new Series("validation", r -> r.validation().loss()));
        chart(dir.resolve("dice_iou.png"), "Dice and IoU", "score", records,
                new Series("train Dice", r -> r.train().pixels().dice()),
                new Series("validation Dice", r -> r.validation().pixels().dice()),
                new Series("train IoU", r -> r.train().pixels().iou()),
                new Series("validation IoU", r -> r.validation().pixels().iou()));
        chart(dir.resolve("accuracy.png"), "Pixel accuracy vs. predicting no blast", "accuracy", records,
                new Series("validation pixel accuracy", r -> r.validation().pixels().pixelAccuracy()),
                new Series("validation all-background", r -> r.validation().pixels().backgroundAccuracy()),
                new Series("train pixel accuracy", r -> r.train().pixels().pixelAccuracy()));
        chart(dir.resolve("cells.png"), "Cell level (validation)", "score", records,
                new Series("cell F1", r -> r.validation().cells().f1()),
                new Series("cell sensitivity", r -> r.validation().cells().sensitivity()),
                new Series("cell precision", r -> r.validation().cells().precision()));
    }

    private static void chart(Path file, String title, String yLabel, List<EpochRecord> records, Series... series) throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(5);
        double[] x = records.stream().mapToDouble(EpochRecord::epoch).toArray();
        for (Series s : series) {
            double[] y = records.stream().mapToDouble(s.value()).toArray();
            boolean any = false;
            for (double v : y) {
                any |= Double.isFinite(v);
            }
            if (any) {
                chart.addSeries(s.name(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** {@return a listener that redraws the run's {@code plots/} after every epoch} */
    public static TrainingListener writer() {
        return new TrainingListener() {
            private Path dir;

            @Override
            public void runStarted(RunStart start) throws IOException {
                dir = start.folder().dir().resolve("plots");
                Files.createDirectories(dir);
            }

            @Override
            public void epochEnded(EpochRecord record, List<EpochRecord> history, boolean best) throws IOException {
                write(dir, history);
            }
        };
    }
}
