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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A trained checkpoint, ready to analyse photographs as {@code vnet segment} does: through the library's
 * {@link Segmenter} and {@link HeatMapDetector}, so the cells are the same for the same image and model.
 */
final class SmearAnalyser {
    private final Path checkpoint;
    private final TrainConfig config;
    private final Segmenter segmenter;
    private final HeatMapDetector detector;
    private final Map<String, String> metadata;
    private final String modelId;

    private SmearAnalyser(Path checkpoint, Checkpoint c, Map<String, String> metadata, String modelId) {
        this.checkpoint = checkpoint;
        this.config = c.config();
        this.segmenter = new Segmenter(c.model(), c.config());
        this.detector = c.config().detection() == null ? null : new HeatMapDetector(c.model(), c.config().detection());
        this.metadata = metadata;
        this.modelId = modelId;
    }

    /**
     * Loads a checkpoint written by the trainer.
     *
     * @param checkpoint the {@code .safetensors} file
     * @return the analyser
     * @throws IOException if the file cannot be read or is not a vnet checkpoint
     */
    static SmearAnalyser load(Path checkpoint) throws IOException {
        Checkpoint c = Checkpoint.load(checkpoint);
        SafetensorsFile f = Safetensors.read(checkpoint);
        return new SmearAnalyser(checkpoint, c, f.metadata(), modelId(checkpoint));
    }

    /** {@return the model's id: its file name and the first 12 hex digits of the file's SHA-256} */
    String modelId() {
        return modelId;
    }

    boolean isDetector() {
        return detector != null;
    }

    /** {@return the cell threshold: a detector's chosen on validation, a mask model's probability threshold} */
    float cellThreshold() {
        return detector != null ? config.detection().cellThreshold() : config.evaluation().threshold();
    }

    /** {@return the image threshold of a detector; a mask model calls an image ALL when it finds a cell} */
    float imageThreshold() {
        return detector != null ? config.detection().imageThreshold() : 0;
    }

    /** {@return the lowest score a candidate cell can have: where a client's threshold slider starts} */
    float candidateFloor() {
        return detector != null ? DetectionConfig.CANDIDATE_FLOOR : cellThreshold();
    }

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
                result = segmenter.detectionResult(d.cells(), image.width(), image.height());
                candidates = detector.candidates(d.heatMap(), d.mapWidth(), d.mapHeight(), image.width(),
                        image.height());
                score = d.score();
                calledAll = d.calledAll();
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
        o.addProperty("id", modelId);
        o.addProperty("file", checkpoint.getFileName().toString());
        o.addProperty("kind", detector != null ? "point detector" : "mask model");
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
