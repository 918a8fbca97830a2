package dev.vnet.train.detect;

import com.google.gson.GsonBuilder;
import dev.vnet.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The point detector's own numbers next to a run's or an evaluation's report: {@code detection.json} (the
 * thresholds, the image ROC AUC, the touching pairs and the cell precision–recall curve), {@code detection_images.csv}
 * (per image: true and found blasts, matched, missed, false alarms, the image score and call) and
 * {@code detection_pr.csv} (the curve as a table).
 */
public final class DetectionReport {
    private DetectionReport() {}

    /**
     * {@return the summary entries of a choice, for a report's JSON}
     *
     * @param c the thresholds and their numbers
     */
    public static Map<String, Object> summary(ThresholdChoice c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell_threshold", c.cellThreshold());
        out.put("image_threshold", c.imageThreshold());
        out.put("image_auc", Double.isNaN(c.imageAuc()) ? null : c.imageAuc());
        out.put("touching_pairs", c.touchingPairs());
        out.put("touching_pairs_separated", c.separatedPairs());
        return out;
    }

    /**
     * Writes the three files into {@code dir}.
     *
     * @param dir  the folder (a run folder, or where an evaluation report goes)
     * @param c    the thresholds and their numbers
     * @param note what the numbers are measured on, written into the JSON
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, ThresholdChoice c, String note) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measured_on", note);
        json.putAll(summary(c));
        json.put("precision_recall", c.precisionRecall());
        json.put("images", c.images());
        String text = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
                .create().toJson(json);
        AtomicFiles.write(dir.resolve("detection.json"), (text + "\n").getBytes(StandardCharsets.UTF_8));

        StringBuilder images = new StringBuilder("image,label,true_blasts,found,matched,missed,false_alarms,score,"
                + "called_all\n");
        for (ThresholdChoice.ImageResult r : c.images()) {
            images.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.4f,%s%n", r.name(),
                    r.label() ? "ALL" : "healthy", r.trueBlasts(), r.found(), r.matched(), r.trueBlasts() - r.matched(), r.found() - r.matched(),
                    r.score(), r.calledAll()));
        }
        AtomicFiles.write(dir.resolve("detection_images.csv"), images.toString().getBytes(StandardCharsets.UTF_8));

        StringBuilder pr = new StringBuilder("threshold,precision,recall,f1\n");
        for (ThresholdChoice.CurvePoint p : c.precisionRecall()) {
            pr.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f%n", Float.isInfinite(p.threshold()) ? "inf"
                    : String.format(Locale.ROOT, "%.4f", p.threshold()), p.precision(), p.recall(), p.f1()));
        }
        AtomicFiles.write(dir.resolve("detection_pr.csv"), pr.toString().getBytes(StandardCharsets.UTF_8));
    }
}
