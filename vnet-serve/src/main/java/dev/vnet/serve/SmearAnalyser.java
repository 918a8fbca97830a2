package dev.vnet.serve;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.ops.Image8;
import dev.vnet.parallel.WorkerPool;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.classify.BinaryScores;
import dev.vnet.train.classify.CellScorer;
import dev.vnet.train.classify.ClassifierCheckpoint;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.HeatMapDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A trained checkpoint, ready to analyse photographs as {@code vnet segment} does: through the library's
 * {@link Segmenter} and {@link HeatMapDetector}, so the cells are the same for the same image and model.
 *
 * <p>With a cell classifier ({@code vnet segment --classifier}), the detector's heat-map still comes from the one
 * forward pass, its proposals are scored by the classifier, and every score the API reports (cells, candidates, the
 * image) is a blast probability: thresholds are the classifier's 0.5 for cells and images alike.
 */
final class SmearAnalyser {
    private final Path checkpoint;
    private final TrainConfig config;
    private final Segmenter segmenter;
    private final HeatMapDetector detector;
    private final Map<String, String> metadata;
    private final String modelId;
    /** The second stage, or null. */
    private final ClassifierCheckpoint classifier;
    private final Path classifierFile;
    private final String classifierId;

    private SmearAnalyser(Path checkpoint, Checkpoint c, Map<String, String> metadata, String modelId,
                          Path classifierFile) throws IOException {
        this.checkpoint = checkpoint;
        this.config = c.config();
        this.detector = c.config().detection() == null ? null : new HeatMapDetector(c.model(), c.config().detection());
        this.metadata = metadata;
        this.modelId = modelId;
        this.classifierFile = classifierFile;
        if (classifierFile == null) {
            this.classifier = null;
            this.classifierId = null;
            this.segmenter = new Segmenter(c.model(), c.config());
        } else {
            this.classifier = ClassifierCheckpoint.load(classifierFile);
            this.classifierId = modelId(classifierFile);
            try {
                this.segmenter = new Segmenter(c.model(), c.config())
                        .withClassifier(new CellScorer(classifier.model()));
            } catch (IllegalArgumentException e) {
                throw new IOException("--classifier " + classifierFile + " cannot be used with model " + checkpoint
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Loads a checkpoint written by the trainer, and a cell classifier to go with it.
     *
     * @param checkpoint the {@code .safetensors} file of the V-Net
     * @param classifier a checkpoint written by {@code vnet classify train}, or null for the detector alone
     * @return the analyser
     * @throws IOException if a file cannot be read or is not a checkpoint of its kind, or the classifier comes with a
     *                     mask model (which proposes no cells)
     */
    static SmearAnalyser load(Path checkpoint, Path classifier) throws IOException {
        Checkpoint c = Checkpoint.load(checkpoint);
        SafetensorsFile f = Safetensors.read(checkpoint);
        return new SmearAnalyser(checkpoint, c, f.metadata(), modelId(checkpoint), classifier);
    }

    /**
     * {@return the model's id: the V-Net's file name and the first 12 hex digits of the file's SHA-256, followed by
     * {@code +} and the classifier's id when there is one}
     */
    String modelId() {
        return classifierId == null ? modelId : modelId + "+" + classifierId;
    }

    boolean hasClassifier() {
        return classifier != null;
    }

    boolean isDetector() {
        return detector != null;
    }

    /**
     * {@return the cell threshold: the classifier's, else a detector's chosen on validation, else a mask model's
     * probability threshold}
     */
    float cellThreshold() {
        return classifier != null ? (float) BinaryScores.THRESHOLD
                : detector != null ? config.detection().cellThreshold() : config.evaluation().threshold();
    }

    /** {@return the image threshold of a detector or the classifier; a mask model calls ALL when it finds a cell} */
    float imageThreshold() {
        return classifier != null ? (float) BinaryScores.THRESHOLD
                : detector != null ? config.detection().imageThreshold() : 0;
    }

    /**
     * {@return the lowest score offered to a client's threshold slider: the decoder's floor, or with a classifier
     * {@link #PROBABILITY_FLOOR} (every proposal is returned, whatever its probability)}
     */
    float candidateFloor() {
        return classifier != null ? PROBABILITY_FLOOR : detector != null ? DetectionConfig.CANDIDATE_FLOOR : cellThreshold();
    }

    /** The slider's lowest blast probability with a classifier: thresholds are in (0, 1). */
    static final float PROBABILITY_FLOOR = 0.01f;

    /**
     * Decodes an uploaded file and finds its blasts.
     *
     * @param upload    the uploaded bytes, in a file of the server's temporary folder
     * @param name      the name of the result's downloads
     * @param maxPixels the most pixels its header may declare
     * @param pool      the engine threads to run on
     * @param id        the result's id
     * @param queuedMs  how long it waited for a worker
     * @return the analysis
     * @throws IOException naming the upload if it cannot be decoded or is too large
     */
    Analysis analyse(Path upload, String name, long maxPixels, WorkerPool pool, String id, double queuedMs)
            throws IOException {
        long t0 = System.nanoTime();
        Image8 image = ImageFiles.read(upload, w -> { }, maxPixels);
        long t1 = System.nanoTime();
        return pool.call(() -> {
            Segmenter.Result result;
            List<DetectedCell> candidates;
            float score;
            boolean calledAll;
            float[] map;
            int mapWidth;
            int mapHeight;
            if (detector != null) {
                HeatMapDetector.Detection d = detector.detect(image);
                candidates = detector.candidates(d.heatMap(), d.mapWidth(), d.mapHeight(), image.width(),
                        image.height());
                if (classifier != null) {
                    Segmenter.TwoStages two = segmenter.scoreProposals(image, candidates);
                    result = segmenter.detectionResult(two.cells(), image.width(), image.height());
                    candidates = rescored(two);
                    score = two.score();
                    calledAll = score >= BinaryScores.THRESHOLD;
                } else {
                    result = segmenter.detectionResult(d.cells(), image.width(), image.height());
                    score = d.score();
                    calledAll = d.calledAll();
                }
                map = d.heatMap();
                mapWidth = d.mapWidth();
                mapHeight = d.mapHeight();
            } else {
                // A mask model has no heat-map of peaks: its probabilities at the input size stand for it.
                result = segmenter.segment(image);
                candidates = result.cells();
                map = segmenter.probabilities(image);
                mapWidth = config.preprocess().width();
                mapHeight = config.preprocess().height();
                float max = 0;
                for (float p : map) {
                    max = Math.max(max, p);
                }
                score = max;
                calledAll = result.count() > 0;
            }
            long t2 = System.nanoTime();
            byte[] heatmap = Analysis.heatmapPng(map, mapWidth, mapHeight);
            long t3 = System.nanoTime();
            return new Analysis(id, name, image, result, candidates, score, calledAll, heatmap,
                    new Analysis.Timings(queuedMs, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2)));
        });
    }

    /** {@return every proposal scored with its blast probability, highest first} */
    private static List<DetectedCell> rescored(Segmenter.TwoStages two) {
        List<DetectedCell> out = new ArrayList<>(two.proposals().size());
        for (int i = 0; i < two.proposals().size(); i++) {
            DetectedCell c = two.proposals().get(i);
            out.add(new DetectedCell(c.x(), c.y(), two.probabilities()[i], c.area()));
        }
        out.sort(Comparator.comparingDouble(DetectedCell::score).reversed());
        return out;
    }

    /** {@return the radius of a cell's circle in an overlay: a blast's for a detector, from each cell's area otherwise} */
    double markerRadius() {
        return detector != null ? config.detection().blastDiameter() / 2 : 0;
    }

    /** {@return a detector's mask and cells of {@code image} with only {@code cells} kept} */
    Segmenter.Result resultFor(List<DetectedCell> cells, Image8 image) {
        return segmenter.detectionResult(cells, image.width(), image.height());
    }

    /** {@return what {@code GET /api/v1/model} answers: the model, its thresholds and its training record} */
    JsonObject describe() {
        JsonObject o = new JsonObject();
        o.addProperty("id", modelId());
        o.addProperty("file", checkpoint.getFileName().toString());
        o.addProperty("kind", classifier != null ? "point detector and cell classifier"
                : detector != null ? "point detector" : "mask model");
        JsonObject thresholds = new JsonObject();
        thresholds.addProperty("cell", cellThreshold());
        thresholds.addProperty("image", imageThreshold());
        thresholds.addProperty("candidateFloor", candidateFloor());
        o.add("thresholds", thresholds);
        JsonObject training = new JsonObject();
        for (String key : List.of("epoch", "step", "seed", "threads", "val_dice")) {
            String v = metadata.get(key);
            if (v != null) {
                training.addProperty(key, v);
            }
        }
        Path report = reportNextTo(checkpoint);
        if (report != null) {
            try {
                training.add("report", JsonParser.parseString(Files.readString(report)));
            } catch (IOException | RuntimeException e) {
                training.addProperty("report", report.getFileName() + " could not be read: " + e.getMessage());
            }
        }
        o.add("training", training);
        o.add("configuration", JsonParser.parseString(config.toJson()));
        if (classifier != null) {
            JsonObject c = new JsonObject();
            c.addProperty("id", classifierId);
            c.addProperty("file", classifierFile.getFileName().toString());
            c.addProperty("epoch", classifier.epoch());
            c.addProperty("parameters", classifier.model().parameterCount());
            c.add("configuration", JsonParser.parseString(classifier.model().config().toJson()));
            o.add("classifier", c);
        }
        return o;
    }

    /** The run's {@code report.json}: a checkpoint lies in {@code RUN/checkpoints/}, or beside it. */
    private static Path reportNextTo(Path checkpoint) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
            Path r = dir.resolve("report.json");
            if (Files.isRegularFile(r)) {
                return r;
            }
        }
        return null;
    }

    private static String modelId(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return file.getFileName().toString().replaceFirst("\\.safetensors$", "") + "@"
                + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
