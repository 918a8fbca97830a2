package dev.vnet.train;

import com.google.gson.GsonBuilder;
import dev.vnet.io.AtomicFiles;
import dev.vnet.train.TrainingListener.FinalEvaluation;
import dev.vnet.train.TrainingListener.RunStart;
import dev.vnet.train.detect.DetectionReport;
import dev.vnet.train.detect.ThresholdChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.json} and {@code report.md}: the metrics of one evaluation, with the counts behind them,
 * so a reader sees at once how pixel accuracy compares with predicting no blast at all.
 */
public final class Report {
    private Report() {}

    /**
     * {@return the JSON object of a report: every metric of {@link Metrics#KEYS} at the top level, then the counts}
     *
     * @param m     the metrics
     * @param extra further entries, in order
     */
    public static Map<String, Object> json(Metrics m, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.toMap().forEach((k, v) -> out.put(k, Double.isNaN(v) ? null : v));
        out.put("images", m.images());
        out.put("pixel_counts", m.pixels());
        out.put("cell_counts", m.cells());
        out.put("image_counts", m.image());
        out.putAll(extra);
        return out;
    }

    /**
     * Writes {@code report.json} to {@code file}.
     *
     * @param file  the file to write
     * @param m     the metrics
     * @param extra further entries, in order
     * @throws IOException if a file cannot be read or written
     */
    public static void writeJson(Path file, Metrics m, Map<String, Object> extra) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json(m, extra));
        AtomicFiles.write(file, (json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return a short Markdown summary of {@code m}}
     *
     * @param title   the heading
     * @param m       the metrics
     * @param details a paragraph after the table
     */
    public static String markdown(String title, Metrics m, String details) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n");
        if (details != null && !details.isBlank()) {
            b.append(details).append("\n\n");
        }
        b.append("| metric | value |\n|---|---|\n");
        row(b, "Dice", m.pixels().dice());
        row(b, "IoU", m.pixels().iou());
        row(b, "pixel accuracy", m.pixels().pixelAccuracy());
        row(b, "accuracy of predicting no blast at all", m.pixels().backgroundAccuracy());
        row(b, "pixel precision", m.pixels().precision());
        row(b, "pixel recall", m.pixels().recall());
        row(b, "cell sensitivity", m.cells().sensitivity());
        row(b, "cell precision", m.cells().precision());
        row(b, "cell F1", m.cells().f1());
        row(b, "image sensitivity (ALL detected)", m.image().sensitivity());
        row(b, "image specificity (healthy recognised)", m.image().specificity());
        b.append(String.format(Locale.ROOT, "%nImages: %d. Cells: %d found of %d true, %d spurious. "
                        + "Images: %d ALL and %d healthy; %d ALL missed, %d healthy flagged.%n",
                m.images(), m.cells().truePositive(), m.cells().truePositive() + m.cells().falseNegative(),
                m.cells().falsePositive(), m.image().truePositive() + m.image().falseNegative(),
                m.image().trueNegative() + m.image().falsePositive(), m.image().falseNegative(), m.image().falsePositive()));
        b.append("\nBlasts cover a small fraction of a smear: pixel accuracy means little unless it is well above the "
                + "accuracy of predicting no blast at all.\n");
        return b.toString();
    }

    /**
     * Writes {@link #markdown} to {@code file}, atomically.
     *
     * @param file    the Markdown file to write
     * @param title   the report's heading
     * @param m       the metrics
     * @param details a line under the heading (preset, data, model)
     * @throws IOException if the file cannot be written
     */
    public static void writeMarkdown(Path file, String title, Metrics m, String details) throws IOException {
        AtomicFiles.write(file, markdown(title, m, details).getBytes(StandardCharsets.UTF_8));
    }

    private static void row(StringBuilder b, String name, double v) {
        // A ratio of nothing (no blast predicted, no ALL image) is NaN: shown as a dash, as in report.json's null.
        b.append("| ").append(name).append(" | ").append(Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v))
                .append(" |\n");
    }

    /**
     * Writes both files of a finished training run into {@code runDir}. They say where their numbers come from: the
     * validation images, which chose the best epoch (and a point detector's thresholds), so the numbers are
     * optimistic; held-out numbers come from {@code vnet eval} on other images or from {@code vnet cv}.
     */
    static void write(Path runDir, TrainConfig config, Metrics fin, int bestEpoch, List<EpochRecord> history,
                      int trainImages, int validationImages, ThresholdChoice detection) throws IOException {
        boolean detector = config.detection() != null;
        String chose = detector ? "the best epoch and both thresholds (cell and image)" : "the best epoch";
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("best_epoch", bestEpoch);
        extra.put("epochs", history.size());
        extra.put("train_images", trainImages);
        extra.put("validation_images", validationImages);
        extra.put("preset", config.preset());
        extra.put("seconds", history.stream().mapToDouble(EpochRecord::seconds).sum());
        extra.put("measured_on", "the validation images listed in " + Trainer.SPLIT + ", which chose " + chose
                + ": optimistic, not held out; vnet eval on images the run never saw, or vnet cv, gives held-out "
                + "numbers");
        extra.put("held_out", false);
        if (detection != null) {
            extra.putAll(DetectionReport.summary(detection));
        }
        writeJson(runDir.resolve("report.json"), fin, extra);
        String details = String.format(Locale.ROOT, "Preset `%s`, %d epochs, %d training and %d validation images, "
                        + "input %dx%d %s, model %s. Best epoch by validation %s: %d (checkpoints/best.safetensors). "
                        + "Training time %.1f s. Curves in plots/, one figure per validation image in figures/.",
                config.preset(), history.size(), trainImages, validationImages, config.preprocess().width(),
                config.preprocess().height(), config.preprocess().gray() ? "gray" : "RGB", config.model(),
                detector ? "cell F1" : "Dice", bestEpoch, history.stream().mapToDouble(EpochRecord::seconds).sum());
        details += "\n\n**Where these numbers come from.** They are measured on the " + validationImages
                + " validation images listed in `" + Trainer.SPLIT + "`, the same images that chose " + chose
                + ": they are optimistic, not held out. For held-out numbers run `vnet eval --model "
                + "checkpoints/best.safetensors --data FOLDER` on images this run never saw, or `vnet cv --data DIR "
                + "--folds K`, which trains on K − 1 folds and scores the fold left out, K times.";
        if (detection != null) {
            details += String.format(Locale.ROOT, "%n%nCell threshold %.3f, image threshold %.3f, image ROC AUC %s. "
                            + "**Touching blasts:** %d pairs of labelled blasts closer than %.0f px; the detector found "
                            + "both blasts of %d of them%s. Per image (true and found blasts, matched, missed, false "
                            + "alarms): `detection_images.csv`; the precision–recall curve of cells: "
                            + "`detection_pr.csv`.", detection.cellThreshold(), detection.imageThreshold(),
                    Double.isNaN(detection.imageAuc()) ? "n/a (one label only)"
                            : String.format(Locale.ROOT, "%.3f", detection.imageAuc()),
                    detection.touchingPairs(), config.detection().pairDistance(), detection.separatedPairs(),
                    detection.touchingPairs() == 0 ? "" : String.format(Locale.ROOT, " (%.0f %%)",
                            100.0 * detection.separatedPairs() / detection.touchingPairs()));
        }
        writeMarkdown(runDir.resolve("report.md"), "Validation report", fin, details);
    }

    /** {@return a listener that writes the run's {@code report.json} and {@code report.md} when it is finished} */
    public static TrainingListener writer() {
        return new TrainingListener() {
            @Override
            public void runEnded(FinalEvaluation e) throws IOException {
                RunStart run = e.run();
                write(run.folder().dir(), run.config(), e.metrics(), e.bestEpoch(), e.history(), run.trainImages(),
                        run.validationImages(), e.detection());
            }
        };
    }
}
