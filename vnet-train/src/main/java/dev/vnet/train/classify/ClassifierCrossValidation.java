package dev.vnet.train.classify;

import com.google.gson.GsonBuilder;
import dev.vnet.io.data.Split;
import dev.vnet.train.detect.StratifiedFolds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Stratified K-fold cross-validation of the cell classifier: the crops are dealt to K folds with both classes
 * balanced ({@link StratifiedFolds}); for each fold a classifier is trained on the other folds for the configured
 * epochs (no crop held out to choose an epoch, so the held-out fold decides nothing) and scored on the fold; the
 * reports of that score ({@link ClassifierReports}) go into {@code fold-<f>/}{@value #HELD_OUT}.
 */
public final class ClassifierCrossValidation {
    /** The folder, inside each fold's run folder, of the reports on the fold's held-out crops. */
    public static final String HELD_OUT = "held-out";

    private ClassifierCrossValidation() {}

    /**
     * One fold.
     *
     * @param fold    0-based fold number
     * @param train   crops trained on
     * @param scores  the scores on the held-out fold
     * @param seconds wall time of the fold's training
     */
    public record Fold(int fold, int train, BinaryScores scores, double seconds) {}

    /**
     * Every fold.
     *
     * @param folds the folds in order
     */
    public record Result(List<Fold> folds) {
        /** {@return the mean and the sample SD over folds of accuracy, sensitivity, specificity and AUC, by name} */
        public Map<String, double[]> summary() {
            Map<String, double[]> m = new LinkedHashMap<>();
            m.put("accuracy", meanSd(folds.stream().mapToDouble(f -> f.scores().accuracy()).toArray()));
            m.put("sensitivity", meanSd(folds.stream().mapToDouble(f -> f.scores().sensitivity()).toArray()));
            m.put("specificity", meanSd(folds.stream().mapToDouble(f -> f.scores().specificity()).toArray()));
            m.put("auc", meanSd(folds.stream().mapToDouble(f -> f.scores().auc()).toArray()));
            return m;
        }

        /**
         * {@return the JSON of the result: the means at the top ({@code accuracy}, {@code sensitivity},
         * {@code specificity}, {@code auc}), their SDs, and every fold}
         */
        public String toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("folds", folds.size());
            Map<String, Double> sd = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : summary().entrySet()) {
                json.put(e.getKey(), e.getValue()[0]);
                sd.put(e.getKey(), e.getValue()[1]);
            }
            json.put("sd", sd);
            json.put("seconds_per_fold", folds.stream().mapToDouble(Fold::seconds).average().orElse(Double.NaN));
            List<Map<String, Object>> each = new ArrayList<>();
            for (Fold f : folds) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("fold", f.fold());
                m.put("train_crops", f.train());
                m.put("seconds", f.seconds());
                m.putAll(f.scores().toMap());
                each.add(m);
            }
            json.put("per_fold", each);
            return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json);
        }
    }

    /**
     * Runs the cross-validation; fold {@code f}'s run folder is {@code out/fold-<f+1>}.
     *
     * @param config  the classifier and its training (its validation fraction is set to 0 for every fold)
     * @param crops   the labelled crops
     * @param k       folds, from 2 to the number of crops
     * @param out     the folder of the folds' run folders
     * @param options more options of each fold's trainer (quiet, progress, overwrite)
     * @return every fold's scores
     * @throws IOException if a file cannot be written
     */
    public static Result run(ClassifierConfig config, List<CellCrop> crops, int k, Path out,
                             UnaryOperator<ClassifierTrainer.Builder> options) throws IOException {
        List<Split<CellCrop>> splits = StratifiedFolds.splits(crops, CellCrop::blast, k, config.seed());
        ClassifierConfig each = config.withValidationFraction(0);
        List<Fold> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            Split<CellCrop> s = splits.get(f);
            ClassifierTrainer.Result r = options.apply(ClassifierTrainer.builder(each, s.train(),
                    out.resolve("fold-" + (f + 1)))).build().run();
            CellClassifier model = ClassifierCheckpoint.load(r.bestCheckpoint()).model();
            ClassifierTrainer.Evaluation held = ClassifierTrainer.evaluate(model, s.validation(), null);
            Path heldOut = r.runDir().resolve(HELD_OUT);
            java.nio.file.Files.createDirectories(heldOut);
            ClassifierReports.write(heldOut, held.scores(), held.predictions(), Map.of("fold", f + 1),
                    "fold " + (f + 1) + " of " + k + ", held out: crops the fold's classifier never saw");
            folds.add(new Fold(f, s.train().size(), held.scores(), r.seconds()));
        }
        return new Result(List.copyOf(folds));
    }

    private static double[] meanSd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }
}
