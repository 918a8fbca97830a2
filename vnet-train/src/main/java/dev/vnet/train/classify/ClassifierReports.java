package dev.vnet.train.classify;

import com.google.gson.GsonBuilder;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.synth.ContactSheet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports of a classifier's evaluation: {@code report.json} and {@code report.md} (accuracy, sensitivity,
 * specificity, ROC AUC, confusion matrix), {@code predictions.csv} (every crop's label and blast probability) and
 * {@code mistakes.png} (a contact sheet of the worst mistakes, surest first).
 */
public final class ClassifierReports {
    /** The most mistakes shown on the contact sheet. */
    public static final int MISTAKES_SHOWN = 24;

    private ClassifierReports() {}

    /**
     * Writes the four files into {@code dir}.
     *
     * @param dir         the folder
     * @param scores      the measures
     * @param predictions every crop with its probability
     * @param extra       more entries for {@code report.json} (the best epoch, what was evaluated)
     * @param what        one line saying what was evaluated, for {@code report.md}
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, BinaryScores scores, List<ClassifierTrainer.Prediction> predictions,
                             Map<String, Object> extra, String what) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(new java.util.TreeMap<>(extra));
        json.putAll(scores.toMap());
        AtomicFiles.writeString(dir.resolve("report.json"), new GsonBuilder().setPrettyPrinting()
                .serializeSpecialFloatingPointValues().create().toJson(json) + "\n");
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(scores, what));
        StringBuilder csv = new StringBuilder("name,label,probability\n");
        for (ClassifierTrainer.Prediction p : predictions) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", p.crop().name(), p.crop().blast() ? 1 : 0,
                    p.probability()));
        }
        AtomicFiles.writeString(dir.resolve("predictions.csv"), csv.toString());
        writeMistakes(dir.resolve("mistakes.png"), predictions);
    }

    /**
     * {@return the measures and the confusion matrix as Markdown}
     *
     * @param s    the scores
     * @param what what was evaluated
     */
    public static String markdown(BinaryScores s, String what) {
        return String.format(Locale.ROOT, """
                # Cell classifier: %s

                | measure | value |
                |---|---|
                | accuracy | %.4f |
                | sensitivity (blasts called blasts) | %.4f |
                | specificity (normal cells called normal) | %.4f |
                | ROC AUC | %.4f |
                | crops | %d |

                Confusion matrix (rows: truth, columns: call at probability >= %.2f):

                | | called blast | called normal |
                |---|---|---|
                | blast | %d | %d |
                | normal | %d | %d |
                """, what, s.accuracy(), s.sensitivity(), s.specificity(), s.auc(), s.total(), BinaryScores.THRESHOLD,
                s.truePositives(), s.falseNegatives(), s.falsePositives(), s.trueNegatives());
    }

    /**
     * Writes a contact sheet of the crops called wrong, the surest mistakes first, each captioned with its name, its
     * label and its probability; a sheet that says there were none when every crop was called right.
     *
     * @param png         the file
     * @param predictions the predictions
     * @throws IOException if it cannot be written
     */
    public static void writeMistakes(Path png, List<ClassifierTrainer.Prediction> predictions) throws IOException {
        List<ClassifierTrainer.Prediction> wrong = new ArrayList<>();
        for (ClassifierTrainer.Prediction p : predictions) {
            if ((p.probability() >= BinaryScores.THRESHOLD) != p.crop().blast()) {
                wrong.add(p);
            }
        }
        wrong.sort(Comparator.comparingDouble(ClassifierTrainer.Prediction::error).reversed());
        ContactSheet sheet = new ContactSheet(6, 128);
        for (ClassifierTrainer.Prediction p : wrong.subList(0, Math.min(MISTAKES_SHOWN, wrong.size()))) {
            sheet.add(p.crop().image(), String.format(Locale.ROOT, "%s %s p=%.2f", p.crop().name(),
                    p.crop().blast() ? "blast" : "normal", p.probability()), List.of(), 0);
        }
        if (sheet.size() == 0 && !predictions.isEmpty()) {
            // An empty sheet would be no image at all: the surest right call stands in, captioned as such.
            ClassifierTrainer.Prediction best = predictions.stream()
                    .min(Comparator.comparingDouble(ClassifierTrainer.Prediction::error)).orElseThrow();
            sheet.add(best.crop().image(), "no mistakes", List.of(), 0);
        }
        if (sheet.size() > 0) {
            sheet.write(png);
        }
    }
}
