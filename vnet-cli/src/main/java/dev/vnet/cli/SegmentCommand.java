package dev.vnet.cli;

import dev.vnet.cli.report.EpochProgress;
import dev.vnet.train.Segmenter;
import dev.vnet.train.classify.CellScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Find blast cells in images of any size: masks, overlays, centres, cell tables and counts.",
            "For each image writes into --out <name>_mask.png (original size), <name>_overlay.png (cells numbered, "
                    + "with their scores), <name>.xyc (one detected centre per line), <name>_cells.csv (cell,x,y,score,"
                    + "area in original pixels) and <name>.geojson (points classified Blast, for QuPath), and prints "
                    + "the count; counts.csv lists every image with its count and its files. An IN that is a folder "
                    + "stands for the images inside it, sorted by name."})
final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Mixin
    CommonOptions.Out out;

    @Mixin
    CommonOptions.Force force;

    @Mixin
    CommonOptions.Quiet quiet;

    @Option(names = "--threshold", description = "Cell threshold of a point detector (default: the one chosen on the "
            + "validation images, stored in the checkpoint); the probability threshold of a mask model.")
    Float threshold;

    @Option(names = "--classifier", paramLabel = "CKPT", description = "A cell classifier (classify train) as a "
            + "second stage of a point detector: the detector proposes cells at half its cell threshold, the classifier "
            + "scores each proposal's crop at full resolution, and the cells are those it calls blasts, scored with "
            + "its probability (docs/classification.md).")
    Path classifier;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files, or folders of images.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        CommonOptions.inferenceOnly();
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        List<Path> images = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> inside = DataFolders.imagesIn(in);
                if (inside.isEmpty()) {
                    throw new UserError("input folder " + in + " holds no image file (.jpg, .png, .tif, .bmp)");
                }
                images.addAll(inside);
            } else if (Files.isRegularFile(in)) {
                images.add(in);
            } else {
                throw new UserError("input image " + in + " does not exist or is not a file");
            }
        }
        List<Path> outputs = new ArrayList<>(List.of(out.folder.resolve(Segmenter.COUNTS)));
        for (Path in : images) {
            outputs.addAll(Segmenter.outputs(in, out.folder).all());
        }
        OutputFiles.requireDistinctOutputs(images, in -> Segmenter.outputs(in, out.folder).mask());
        Segmenter seg = Segmenter.load(model);
        if (classifier != null) {
            if (!Files.isRegularFile(classifier)) {
                throw new UserError("--classifier " + classifier + " does not exist or is not a file");
            }
            try {
                seg = seg.withClassifier(CellScorer.load(classifier));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        OutputFiles.lockFolder(out.folder, "vnet segment");
        OutputFiles.requireNewOrForce(outputs, force.allowed);
        if (threshold != null) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new UserError("--threshold must be in (0, 1), got " + threshold);
            }
            seg = seg.withThreshold(threshold);
        }
        // One image is over before a bar would say anything.
        ProgressBar bar = quiet.on || images.size() < 2 ? null : EpochProgress.imageBar(System.err, "segment", images.size());
        try {
            seg.segmentFiles(images, out.folder, (in, r) -> {
                if (bar != null) {
                    bar.step();
                }
                System.out.println(in.getFileName() + "\t" + r.count() + " blast" + (r.count() == 1 ? "" : "s"));
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return 0;
    }
}
