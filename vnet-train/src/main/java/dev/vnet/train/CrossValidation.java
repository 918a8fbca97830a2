package dev.vnet.train;

import com.google.gson.GsonBuilder;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.Split;
import dev.vnet.train.detect.DetectionValidation;
import dev.vnet.train.detect.StratifiedFolds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Stratified K-fold cross-validation: the images are dealt to {@code k} folds by {@link StratifiedFolds} (no image in
 * two folds, ALL and healthy images balanced); for each fold a model is trained on the other folds — which the trainer
 * splits again into training and validation images, to choose the epoch and the thresholds — and evaluated once on the
 * held-out fold, which took no part in any choice. The mean and standard deviation over the folds are numbers that
 * hold on unseen smears.
 *
 * <p>Each fold's run folder is {@code fold-<f>/} under the output folder (checkpoints, report, {@code held_out.txt});
 * {@link #write} adds {@code cv.json} and {@code cv.md}.
 */
public final class CrossValidation {
    /** The metrics reported per fold and summarised, in the order of the tables. */
    public static final List<String> METRICS = List.of("cell_f1", "cell_sensitivity", "cell_precision",
            "image_sensitivity", "image_specificity", "image_auc");

    private CrossValidation() {}

    /**
     * One fold's model on its held-out images.
     *
     * @param fold      the fold, from 1
     * @param trained   the images the fold's model was trained and validated on (the other folds)
     * @param heldOut   the names of the held-out images
     * @param bestEpoch the epoch chosen on the fold's own validation images
     * @param metrics   the metrics on the held-out images, at the thresholds stored in the checkpoint
     * @param imageAuc  the ROC AUC of the image call on the held-out images ({@code NaN} for a mask model, which gives
     *                  no image score)
     */
    public record Fold(int fold, int trained, List<String> heldOut, int bestEpoch, Metrics metrics, double imageAuc) {
        /** {@return the value of each of {@link #METRICS}} */
        public Map<String, Double> values() {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("cell_f1", metrics.cells().f1());
            v.put("cell_sensitivity", metrics.cells().sensitivity());
            v.put("cell_precision", metrics.cells().precision());
            v.put("image_sensitivity", metrics.image().sensitivity());
            v.put("image_specificity", metrics.image().specificity());
            v.put("image_auc", imageAuc);
            return v;
        }
    }

    /**
     * The folds and their summary.
     *
     * @param folds the folds, in order
     * @param mean  each metric's mean over the folds
     * @param sd    each metric's sample standard deviation over the folds (divisor k − 1)
     */
    public record Result(List<Fold> folds, Map<String, Double> mean, Map<String, Double> sd) {}

    /**
     * Runs the cross-validation.
     *
     * @param config  the training configuration of every fold (its seed also deals the folds)
     * @param samples the images, with their labels and centres
     * @param k       the number of folds, from 2 to the number of images
     * @param outDir  the folder of the fold runs
     * @param setup   adds to each fold's trainer what the caller wants (listeners, quiet, overwrite)
     * @return the folds and their summary
     * @throws IOException if a file cannot be read or written
     */
    public static Result run(TrainConfig config, List<Sample> samples, int k, Path outDir,
                             UnaryOperator<Trainer.Builder> setup) throws IOException {
        List<Split<Sample>> splits = StratifiedFolds.splits(samples, Sample::label, k, config.seed());
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            Split<Sample> split = splits.get(f);
            Path runDir = outDir.resolve("fold-" + (f + 1));
            TrainResult r = setup.apply(Trainer.builder(config, split.train(), runDir)).build().run();
            List<String> heldOut = split.validation().stream().map(Sample::name).toList();
            AtomicFiles.writeString(runDir.resolve("held_out.txt"), String.join("\n", heldOut) + "\n");
            Checkpoint best = Checkpoint.load(r.bestCheckpoint());
            Metrics m;
            double auc;
            if (best.config().detection() != null) {
                DetectionValidation.Outcome o = Evaluator.evaluateDetector(best, split.validation());
                m = o.metrics();
                auc = o.choice().imageAuc();
            } else {
                m = Evaluator.evaluate(best, split.validation());
                auc = Double.NaN;
            }
            folds.add(new Fold(f + 1, split.train().size(), heldOut, r.bestEpoch(), m, auc));
        }
        return summarise(folds);
    }

    /**
     * {@return the mean and sample standard deviation of every metric over {@code folds}}
     *
     * @param folds at least one fold
     */
    public static Result summarise(List<Fold> folds) {
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> sd = new LinkedHashMap<>();
        for (String metric : METRICS) {
            double sum = 0;
            for (Fold f : folds) {
                sum += f.values().get(metric);
            }
            double mu = sum / folds.size();
            double squares = 0;
            for (Fold f : folds) {
                double d = f.values().get(metric) - mu;
                squares += d * d;
            }
            mean.put(metric, mu);
            sd.put(metric, folds.size() < 2 ? Double.NaN : Math.sqrt(squares / (folds.size() - 1)));
        }
        return new Result(List.copyOf(folds), mean, sd);
    }

    /**
     * {@return the Markdown table of every fold and the mean ± SD}
     *
     * @param result the cross-validation
     */
    public static String table(Result result) {
        StringBuilder b = new StringBuilder("| fold | held-out images | best epoch |");
        for (String metric : METRICS) {
            b.append(' ').append(metric.replace('_', ' ')).append(" |");
        }
        b.append("\n|---|---|---|").append("---|".repeat(METRICS.size())).append('\n');
        for (Fold f : result.folds()) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %d |", f.fold(), f.heldOut().size(), f.bestEpoch()));
            for (String metric : METRICS) {
                b.append(String.format(Locale.ROOT, " %.3f |", f.values().get(metric)));
            }
            b.append('\n');
        }
        b.append("| **mean ± SD** | | |");
        for (String metric : METRICS) {
            b.append(String.format(Locale.ROOT, " %.3f ± %.3f |", result.mean().get(metric), result.sd().get(metric)));
        }
        return b.append('\n').toString();
    }

    /**
     * Writes {@code cv.json} (every fold's metrics and held-out images, the means and SDs) and {@code cv.md} into
     * {@code outDir}, atomically.
     *
     * @param result the cross-validation
     * @param config the configuration of the folds
     * @param images the number of images
     * @param outDir the output folder
     * @throws IOException if a file cannot be written
     */
    public static void write(Result result, TrainConfig config, int images, Path outDir) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("preset", config.preset());
        json.put("epochs", config.epochs());
        json.put("seed", config.seed());
        json.put("images", images);
        json.put("folds", result.folds().size());
        List<Map<String, Object>> folds = new ArrayList<>();
        for (Fold f : result.folds()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("fold", f.fold());
            o.put("trained_images", f.trained());
            o.put("best_epoch", f.bestEpoch());
            o.putAll(f.values());
            o.put("cells", Map.of("matched", f.metrics().cells().truePositive(),
                    "false_alarms", f.metrics().cells().falsePositive(), "missed", f.metrics().cells().falseNegative()));
            o.put("held_out", f.heldOut());
            folds.add(o);
        }
        json.put("per_fold", folds);
        json.put("mean", result.mean());
        json.put("sd", result.sd());
        Files.createDirectories(outDir);
        AtomicFiles.writeString(outDir.resolve("cv.json"), new GsonBuilder().setPrettyPrinting()
                .serializeSpecialFloatingPointValues().create().toJson(json) + "\n");
        String md = "# Cross-validation, " + result.folds().size() + " folds\n\n"
                + String.format(Locale.ROOT, "Preset `%s`, %d epochs, seed %d, %d images dealt to %d folds stratified "
                        + "by label (ALL or healthy); no image is in two folds.%n%n", config.preset(), config.epochs(),
                config.seed(), images, result.folds().size())
                + "Each fold's model was trained on the other folds, which the trainer split again into training and "
                + "validation images to choose the epoch and the thresholds; the numbers below are on the held-out "
                + "fold, which took no part in any choice. SD is the sample standard deviation over the folds (divisor "
                + "k − 1). Each fold's run folder is `fold-<f>/`; `held_out.txt` in it lists its held-out images.\n\n"
                + table(result);
        AtomicFiles.writeString(outDir.resolve("cv.md"), md);
    }
}
