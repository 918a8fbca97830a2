package dev.vnet.train;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.data.ImageTensors;
import dev.vnet.train.classify.CellScorer;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.HeatMapDetector;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import dev.vnet.ops.preprocess.SmearPreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds blast cells in images of any size with a trained checkpoint.
 *
 * <ul>
 *   <li>A point detector ({@link TrainConfig#detection()} set) runs its {@link HeatMapDetector}: the photograph at the
 *       working scale, tiled inference, the peaks of the heat-map with the thresholds chosen on validation (stored in
 *       the checkpoint). The cells are the peaks, in original pixels, with their scores; the mask is a disc of the
 *       expected blast diameter at each.</li>
 *   <li>A mask model (the method) prepares the image as in training, predicts probabilities at its input size,
 *       resizes them (bilinear, on an 8-bit scale) back to the original size and thresholds them; the connected
 *       components of the mask are the cells (score 1).</li>
 * </ul>
 *
 * <p>A point detector can work in two stages ({@link #withClassifier}): the detector proposes cells at a low
 * threshold (half its cell threshold), a cell classifier scores the crop around each proposal at full resolution,
 * and the cells are the proposals it calls blasts, scored with its probability; the image's score is the highest
 * probability of its proposals.
 *
 * <pre>{@code
 * Segmenter seg = Segmenter.load(Path.of("run/checkpoints/best.safetensors"));
 * Segmenter.Result r = seg.segment(ImageFiles.read(Path.of("Im001_1.jpg")));
 * System.out.println(r.count() + " blasts");
 * }</pre>
 */
public final class Segmenter {
    private final VNet model;
    private final TrainConfig config;
    private final SmearPreprocessor preprocessor;
    private final HeatMapDetector detector;
    private final CellScorer classifier;

    /**
     * A segmenter for a model and the configuration it was trained with.
     *
     * @param model  the trained network
     * @param config the configuration it was trained with
     */
    public Segmenter(VNet model, TrainConfig config) {
        this(model, config, null);
    }

    private Segmenter(VNet model, TrainConfig config, CellScorer classifier) {
        this.classifier = classifier;
        this.model = model;
        this.config = config;
        this.preprocessor = new SmearPreprocessor(config.preprocess());
        this.detector = config.detection() == null ? null : new HeatMapDetector(model, config.detection());
        model.eval();
    }

    /**
     * Loads a checkpoint written by the trainer.
     *
     * @param checkpoint a {@code .safetensors} file written by {@link Trainer} or {@link Checkpoint#save}
     * @return the segmenter
     * @throws IOException if a file cannot be read or written
     */
    public static Segmenter load(Path checkpoint) throws IOException {
        Checkpoint c = Checkpoint.load(checkpoint);
        return new Segmenter(c.model(), c.config());
    }

    /**
     * {@return this segmenter with another threshold: a point detector's cell threshold (by default the one chosen on
     * validation and stored in the checkpoint), or a mask model's probability threshold}
     *
     * @param threshold the threshold, in (0, 1)
     */
    public Segmenter withThreshold(float threshold) {
        if (config.detection() != null) {
            return new Segmenter(model, config.withDetection(config.detection().withThresholds(threshold,
                    config.detection().imageThreshold())), classifier);
        }
        EvaluationConfig e = config.evaluation();
        return new Segmenter(model, config.toBuilder().evaluation(new EvaluationConfig(threshold, e.minArea(),
                e.matchDistancePixels(), e.matchDistanceFraction())).build());
    }

    /**
     * {@return this segmenter in two stages: its point detector proposes cells at half its cell threshold, and
     * {@code scorer} keeps those whose crop it calls a blast}
     *
     * @param scorer a trained cell classifier, or null for the detector alone
     * @throws IllegalArgumentException if the model is a mask model, which proposes no cells to score
     */
    public Segmenter withClassifier(CellScorer scorer) {
        if (scorer != null && config.detection() == null) {
            throw new IllegalArgumentException("a cell classifier needs a point detector's checkpoint (preset "
                    + "recommended or demo) to propose cells; preset " + config.preset() + " segments masks");
        }
        return new Segmenter(model, config, scorer);
    }

    /**
     * The two stages' view of one image.
     *
     * @param proposals     the detector's cells at the proposal threshold, highest detector score first
     * @param probabilities the classifier's blast probability of each proposal, same order
     * @param cells         the proposals called blasts, scored with their probability, highest first
     * @param score         the image's score: the highest probability, 0 without proposals
     */
    public record TwoStages(List<DetectedCell> proposals, float[] probabilities, List<DetectedCell> cells,
                            float score) {}

    /**
     * {@return the two stages' result for an image: proposals, their probabilities, the cells kept, the image score}
     *
     * @param original the photograph, gray or RGB, any size
     * @throws IllegalStateException if no classifier was set ({@link #withClassifier})
     */
    public TwoStages detectInTwoStages(Image8 original) {
        if (classifier == null) {
            throw new IllegalStateException("no cell classifier: set one with withClassifier");
        }
        return scoreProposals(original, detector.candidates(original));
    }

    /**
     * {@return the two stages' result from the detector's candidates already decoded (for a caller that keeps the
     * heat-map too): those at the proposal threshold are scored by the classifier}
     *
     * @param original   the photograph, gray or RGB, any size
     * @param candidates the detector's candidates of {@code original} down to {@link DetectionConfig#CANDIDATE_FLOOR},
     *                   in original pixels, as {@link HeatMapDetector#candidates} gives them
     * @throws IllegalStateException if no classifier was set ({@link #withClassifier})
     */
    public TwoStages scoreProposals(Image8 original, List<DetectedCell> candidates) {
        if (classifier == null) {
            throw new IllegalStateException("no cell classifier: set one with withClassifier");
        }
        DetectionConfig d = config.detection();
        float floor = Math.max(DetectionConfig.CANDIDATE_FLOOR, d.cellThreshold() / 2);
        List<DetectedCell> proposals = new ArrayList<>();
        for (DetectedCell c : candidates) {
            if (c.score() >= floor) {
                proposals.add(c);
            }
        }
        List<int[]> centres = new ArrayList<>(proposals.size());
        for (Point p : new Result(null, proposals).centres()) {
            centres.add(new int[] {p.x(), p.y()});
        }
        Image8 rgb = original.channels() == 3 ? original : dev.vnet.ops.ColorConvert.grayToRgb(original);
        float[] p = classifier.probabilitiesAt(rgb, centres, d.blastDiameter());
        List<DetectedCell> cells = new ArrayList<>();
        float score = 0;
        for (int i = 0; i < p.length; i++) {
            score = Math.max(score, p[i]);
            if (p[i] >= dev.vnet.train.classify.BinaryScores.THRESHOLD) {
                DetectedCell c = proposals.get(i);
                cells.add(new DetectedCell(c.x(), c.y(), p[i], c.area()));
            }
        }
        cells.sort(Comparator.comparingDouble(DetectedCell::score).reversed());
        return new TwoStages(List.copyOf(proposals), p, List.copyOf(cells), score);
    }

    /** {@return the configuration of the model} */
    public TrainConfig config() {
        return config;
    }

    /**
     * One segmentation.
     *
     * @param mask  255 on blast pixels, 0 elsewhere, at the original size
     * @param cells detected cells (centres and areas in original pixels, with their scores): a point detector's
     *              highest score first, a mask model's in raster order
     */
    public record Result(Image8 mask, List<DetectedCell> cells) {
        /** {@return the number of blasts detected} */
        public int count() {
            return cells.size();
        }

        /** {@return the cell centres rounded to whole pixels, as a {@code .xyc} file lists them} */
        public List<Point> centres() {
            List<Point> out = new ArrayList<>(cells.size());
            for (DetectedCell c : cells) {
                int x = (int) Math.floor(c.x() + 0.5);
                int y = (int) Math.floor(c.y() + 0.5);
                out.add(new Point(Math.max(0, x), Math.max(0, y)));
            }
            return out;
        }
    }

    /**
     * {@return the point detector's own result for an image (cells, heat-map, image score and call), or {@code null}
     * for a mask model}
     *
     * @param original the image, gray or RGB, any size
     */
    public HeatMapDetector.Detection detect(Image8 original) {
        return detector == null ? null : detector.detect(original);
    }

    /**
     * {@return a point detector's result for cells found in an image of {@code width × height} pixels, as
     * {@link #segment(Image8)} gives it: the cells as they are, and the mask a disc of the expected blast diameter at
     * each} A caller that needs the heat-map or the image call too runs {@link #detect} once and builds the result
     * from its cells here, instead of running the network twice.
     *
     * @param cells  the cells, in original pixels
     * @param width  the image's width in pixels
     * @param height the image's height in pixels
     * @throws IllegalStateException if the model is a mask model, which has no detector
     */
    public Result detectionResult(List<DetectedCell> cells, int width, int height) {
        if (config.detection() == null) {
            throw new IllegalStateException("the model is a mask model, not a point detector: its cells come from its"
                    + " mask (segment)");
        }
        List<Point> centres = new Result(null, cells).centres();
        int radius = (int) Math.max(1, Math.round(config.detection().blastDiameter() / 2));
        return new Result(CircleMask.discs(width, height, centres, radius), cells);
    }

    /**
     * {@return probabilities at the model's input size, {@code [height × width]} row-major}
     *
     * @param original the image, gray or RGB, any size
     */
    public float[] probabilities(Image8 original) {
        Tensor x = ImageTensors.toTensor(preprocessor.prepareImage(original));
        try (var ignored = GradMode.noGrad(); var pass = new BufferPool().use()) {
            Tensor logits = model.forward(x);
            return Activations.sigmoid(logits.data());
        }
    }

    /**
     * Segments an image (gray or RGB) of any size.
     *
     * @param original the image, gray or RGB, any size
     * @return the mask at the image's size and the cells
     */
    public Result segment(Image8 original) {
        if (detector != null) {
            List<DetectedCell> found = classifier != null ? detectInTwoStages(original).cells()
                    : detector.detect(original).cells();
            return detectionResult(found, original.width(), original.height());
        }
        float[] p = probabilities(original);
        int w = config.preprocess().width();
        int h = config.preprocess().height();
        Image8 prob8 = ImageTensors.fromChannelsFirst(p, 0, 1, h, w);
        Image8 full = original.width() == w && original.height() == h ? prob8
                : Resize.apply(prob8, original.width(), original.height(), Resize.Interpolation.LINEAR);
        int cut = Math.round(config.evaluation().threshold() * 255f);
        Image8 mask = new Image8(original.width(), original.height(), 1);
        byte[] fd = full.data();
        byte[] md = mask.data();
        for (int i = 0; i < fd.length; i++) {
            md[i] = (fd[i] & 0xFF) >= cut ? (byte) 255 : 0;
        }
        double areaScale = (double) original.width() * original.height() / ((double) w * h);
        int minArea = (int) Math.max(1, Math.round(config.evaluation().minArea() * areaScale));
        List<DetectedCell> cells = new ArrayList<>();
        for (CellDetector.Cell c : CellDetector.detect(mask, minArea)) {
            // A connected component carries no score of its own.
            cells.add(new DetectedCell(c.x(), c.y(), 1f, c.area()));
        }
        return new Result(mask, cells);
    }

    /**
     * Segments a {@link BufferedImage}.
     *
     * @param image the image, any size
     * @return the mask at the image's size and the cells
     */
    public Result segment(BufferedImage image) {
        return segment(ImageFiles.fromBufferedImage(image));
    }

    /**
     * The files {@link #segmentFile} writes for one image (see {@link SegmentationFiles}).
     *
     * @param mask    {@code <name>_mask.png}: 255 on blast pixels, at the image's size
     * @param overlay {@code <name>_overlay.png}: the image with the mask tinted and the cells numbered, with scores
     * @param xyc     {@code <name>.xyc}: the detected centres, in the ALL-IDB format
     * @param cells   {@code <name>_cells.csv}: {@value SegmentationFiles#CELLS_HEADER}, a line per cell
     * @param geojson {@code <name>.geojson}: a Point feature per cell, classified "Blast", that QuPath imports
     */
    public record Outputs(Path mask, Path overlay, Path xyc, Path cells, Path geojson) {
        /** {@return the five files, in the order mask, overlay, centres, cells, GeoJSON} */
        public List<Path> all() {
            return List.of(mask, overlay, xyc, cells, geojson);
        }
    }

    /** The table of every image's count that {@link #segmentFiles} writes into its folder. */
    public static final String COUNTS = "counts.csv";

    /**
     * {@return the files {@link #segmentFile} writes for {@code image} into {@code outDir}: named after the image's file
     * name without its extension, so {@code a/x.jpg} and {@code b/x.png} share them}
     *
     * @param image  the image file
     * @param outDir the output folder
     */
    public static Outputs outputs(Path image, Path outDir) {
        String name = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        return new Outputs(outDir.resolve(name + "_mask.png"), outDir.resolve(name + "_overlay.png"),
                outDir.resolve(name + ".xyc"), outDir.resolve(name + "_cells.csv"), outDir.resolve(name + ".geojson"));
    }

    /**
     * Segments an image file and writes its {@link #outputs} into {@code outDir}: the mask (original size), the overlay
     * with numbered cells, the {@code .xyc}, the cells' CSV and the GeoJSON.
     *
     * @param image  the image file
     * @param outDir the folder to write into, created if missing
     * @return the mask and the cells
     * @throws IOException if a file cannot be read or written
     */
    public Result segmentFile(Path image, Path outDir) throws IOException {
        Image8 img = ImageFiles.read(image);
        Result r = segment(img);
        // A point detector's cells are blasts of the expected size; a mask model's are as large as their component.
        double markerRadius = config.detection() == null ? 0 : config.detection().blastDiameter() / 2;
        SegmentationFiles.write(outputs(image, outDir), img, r, markerRadius);
        return r;
    }

    /**
     * Segments image files one after the other, writes each one's {@link #outputs} into {@code outDir} and then
     * {@value #COUNTS}, whole and atomically.
     *
     * @param images the image files, in the order of {@value #COUNTS}
     * @param outDir the folder to write into, created if missing
     * @param done   told after each image (for a progress bar or a line per image)
     * @return the results, in the order of {@code images}
     * @throws IOException if a file cannot be read or written
     */
    public List<Result> segmentFiles(List<Path> images, Path outDir, BiConsumer<Path, Result> done) throws IOException {
        List<Result> results = new ArrayList<>(images.size());
        List<SegmentationFiles.CountsRow> rows = new ArrayList<>(images.size());
        for (Path image : images) {
            Result r = segmentFile(image, outDir);
            results.add(r);
            rows.add(new SegmentationFiles.CountsRow(image, r.count(), outputs(image, outDir)));
            done.accept(image, r);
        }
        Files.createDirectories(outDir);
        AtomicFiles.writeString(outDir.resolve(COUNTS), SegmentationFiles.countsCsv(rows));
        return results;
    }
}
