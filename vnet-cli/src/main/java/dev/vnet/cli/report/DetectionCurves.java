package dev.vnet.cli.report;

import dev.vnet.io.ImageFiles;
import dev.vnet.train.TrainingListener;
import dev.vnet.train.detect.ThresholdChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A point detector's curves as PNG charts, from the numbers {@code DetectionReport} writes: {@code
 * precision_recall.png} (cells: precision against recall over the cell threshold, the chosen threshold marked) and
 * {@code roc.png} (images: true against false positive rate over the image threshold, with its AUC).
 */
public final class DetectionCurves {
    private DetectionCurves() {}

    /**
     * Writes both charts into {@code dir}.
     *
     * @param dir    the folder, created if missing
     * @param choice the thresholds, the cell curve and the images' scores
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, ThresholdChoice choice) throws IOException {
        Files.createDirectories(dir);
        XYChart pr = new XYChartBuilder().width(640).height(480).title("Cells: precision-recall")
                .xAxisTitle("recall (sensitivity)").yAxisTitle("precision").build();
        axes(pr);
        List<ThresholdChoice.CurvePoint> curve = new ArrayList<>(choice.precisionRecall());
        curve.removeIf(p -> Double.isNaN(p.precision()) || Double.isNaN(p.recall()));
        if (!curve.isEmpty()) {
            curve.sort(Comparator.comparingDouble(ThresholdChoice.CurvePoint::recall));
            pr.addSeries("cells", curve.stream().mapToDouble(ThresholdChoice.CurvePoint::recall).toArray(),
                    curve.stream().mapToDouble(ThresholdChoice.CurvePoint::precision).toArray())
                    .setMarker(SeriesMarkers.NONE);
        }
        double chosenRecall = choice.cells().sensitivity();
        double chosenPrecision = choice.cells().precision();
        if (Double.isFinite(chosenRecall) && Double.isFinite(chosenPrecision)) {
            pr.addSeries(String.format(Locale.ROOT, "threshold %.3f (F1 %.3f)", choice.cellThreshold(),
                    choice.cells().f1()), new double[] {chosenRecall}, new double[] {chosenPrecision})
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        ImageFiles.write(BitmapEncoder.getBufferedImage(pr), dir.resolve("precision_recall.png"));

        double[][] roc = roc(choice.images());
        XYChart chart = new XYChartBuilder().width(640).height(480)
                .title(Double.isNaN(choice.imageAuc()) ? "Images: ROC (one label only)"
                        : String.format(Locale.ROOT, "Images: ROC, AUC %.3f", choice.imageAuc()))
                .xAxisTitle("false positive rate (1 - specificity)").yAxisTitle("true positive rate (sensitivity)")
                .build();
        axes(chart);
        chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
        chart.addSeries("images", roc[0], roc[1]).setMarker(SeriesMarkers.CIRCLE);
        ImageFiles.write(BitmapEncoder.getBufferedImage(chart), dir.resolve("roc.png"));
    }

    private static void axes(XYChart chart) {
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.05).setMarkerSize(5);
    }

    /**
     * {@return the ROC curve of the images' scores: {@code [0]} false and {@code [1]} true positive rates, from (0, 0)
     * to (1, 1), one step per distinct score (ties move both rates at once)}
     *
     * @param images the images, each with its label and score
     */
    static double[][] roc(List<ThresholdChoice.ImageResult> images) {
        long pos = images.stream().filter(ThresholdChoice.ImageResult::label).count();
        long neg = images.size() - pos;
        List<ThresholdChoice.ImageResult> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparingDouble(ThresholdChoice.ImageResult::score).reversed());
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).label()) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 == sorted.size() || sorted.get(i + 1).score() != sorted.get(i).score()) {
                points.add(new double[] {neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos});
            }
        }
        double[][] out = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    /** {@return a listener that draws a point detector's curves into the run's {@code plots/} when it ends} */
    public static TrainingListener writer() {
        return new TrainingListener() {
            @Override
            public void runEnded(FinalEvaluation e) throws IOException {
                if (e.detection() != null) {
                    write(e.run().folder().dir().resolve("plots"), e.detection());
                }
            }
        };
    }
}
