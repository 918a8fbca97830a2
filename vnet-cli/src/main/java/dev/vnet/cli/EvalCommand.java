package dev.vnet.cli;

import dev.vnet.cli.report.DetectionCurves;
import dev.vnet.cli.report.DetectionFigures;
import dev.vnet.io.data.Sample;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.Evaluator;
import dev.vnet.train.Metrics;
import dev.vnet.train.Report;
import dev.vnet.train.TrainingListener.ImagePrediction;
import dev.vnet.train.detect.DetectionReport;
import dev.vnet.train.detect.DetectionValidation;
import dev.vnet.train.detect.ThresholdChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on every image of a folder: pixel, cell and image level metrics.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Option(names = "--out", description = "Write the report as JSON here (and a .md next to it; a point detector's "
            + "detection.json, detection_images.csv, detection_pr.csv, precision_recall.png and roc.png in the same "
            + "folder); stdout otherwise.")
    Path out;

    @Option(names = "--figures", description = "With --out and a point detector: also draw figures/<image>.png next "
            + "to the report for every image (the heat-map and each cell marked matched, false alarm or missed).")
    boolean figures;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws Exception {
        CommonOptions.inferenceOnly();
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        Path md = out == null ? null
                : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        if (out != null) {
            OutputFiles.requireNewOrForce(List.of(out, md), force.allowed);
        }
        Checkpoint c = Checkpoint.load(model);
        if (figures && (out == null || c.config().detection() == null)) {
            throw new UserError(out == null ? "--figures needs --out: the figures go into a folder next to the report"
                    : "--figures draws a point detector's cells; " + model + " is a mask model (preset "
                    + c.config().preset() + ")");
        }
        // A point detector's per-image table, curves and their charts go next to the report.
        Path dir = out == null ? null : out.toAbsolutePath().getParent();
        List<Path> detectionFiles = dir == null || c.config().detection() == null ? List.of()
                : List.of(dir.resolve("detection.json"), dir.resolve("detection_images.csv"),
                        dir.resolve("detection_pr.csv"), dir.resolve("precision_recall.png"), dir.resolve("roc.png"),
                        dir.resolve(figures ? "figures" : "detection.json"));
        OutputFiles.requireNewOrForce(detectionFiles, force.allowed);
        List<Sample> samples = DataFolders.load(data, System.err, false);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("model", model.toString());
        extra.put("data", data.toString());
        Metrics m;
        if (c.config().detection() != null) {
            Map<String, Sample> byName = new HashMap<>();
            samples.forEach(s -> byName.put(s.name(), s));
            List<ImagePrediction> predictions = new ArrayList<>();
            DetectionValidation.Outcome o = Evaluator.evaluateDetector(c, samples, !figures ? null
                    : (img, map, target) -> predictions.add(new ImagePrediction(byName.get(img.name()), img.image(),
                            target, map)));
            m = o.metrics();
            ThresholdChoice t = o.choice();
            if (figures) {
                Path figureDir = dir.resolve("figures");
                Files.createDirectories(figureDir);
                for (ImagePrediction p : predictions) {
                    DetectionFigures.write(figureDir.resolve(p.sample().name() + ".png"), p, c.config().detection(), t);
                }
            }
            extra.putAll(DetectionReport.summary(t));
            if (dir != null) {
                Files.createDirectories(dir);
                DetectionReport.write(dir, t, "every image of " + data + " at the checkpoint's thresholds: held-out "
                        + "numbers if the run never saw these images (its split.json lists those it did)");
                DetectionCurves.write(dir, t);
            }
        } else {
            m = Evaluator.evaluate(c, samples);
        }
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Report.writeJson(out, m, extra);
            Report.writeMarkdown(md, "Evaluation of " + model.getFileName(), m, samples.size() + " images from " + data);
            System.out.println(m.summary());
        } else {
            System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls().create()
                    .toJson(Report.json(m, extra)));
        }
        return 0;
    }
}
