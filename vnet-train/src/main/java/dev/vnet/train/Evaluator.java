package dev.vnet.train;

import dev.vnet.ops.preprocess.SmearPreprocessor;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.ImageTensors;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.SampleCache;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.train.detect.DetectionValidation;
import dev.vnet.train.detect.HeatMapDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a model over a data set in evaluation mode and measures it ({@link Metrics}). */
public final class Evaluator {
    private final Map<String, int[]> originalSizes = new ConcurrentHashMap<>();

    /** Receives every evaluated image (for figures). */
    @FunctionalInterface
    public interface ImageSink {
        /**
         * @param sample        the sample
         * @param image         the network's input as an image
         * @param truth         the true mask, {@code h × w} at {@code offset}
         * @param probabilities predicted probabilities, same layout
         * @param offset        index of the image's first value in {@code truth} and {@code probabilities}
         * @throws IOException if a file cannot be read or written
         */
        void accept(Sample sample, Image8 image, float[] truth, float[] probabilities, int offset) throws IOException;
    }

    /**
     * {@return the original width and height of a sample's image (read from the file header once)}
     *
     * @param s the sample
     */
    public int[] originalSize(Sample s) {
        return originalSizes.computeIfAbsent(s.name(), k -> {
            if (s.image() != null) {
                return new int[] {s.image().width(), s.image().height()};
            }
            try {
                ImageFiles.ImageSize size = ImageFiles.readSize(s.imagePath());
                return new int[] {size.width(), size.height()};
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + s.describe() + ": " + e.getMessage(), e);
            }
        });
    }

    /** The true centres of a sample as points for matching. */
    static List<CellMatch.Point> points(List<Point> centres) {
        List<CellMatch.Point> out = new ArrayList<>(centres.size());
        for (Point p : centres) {
            out.add(new CellMatch.Point(p.x(), p.y()));
        }
        return out;
    }


    /** Adds every image of a batch to {@code acc}. */
    void addBatch(MetricsAccumulator acc, BatchLoader.Batch batch, float[] probabilities, boolean augmented) {
        int[] shape = batch.masks().shape();
        int h = shape[2];
        int w = shape[3];
        float[] truth = batch.masks().data();
        for (int i = 0; i < batch.samples().size(); i++) {
            Sample s = batch.samples().get(i);
            int[] size = originalSize(s);
            // An augmented image was flipped or turned after its centres were recorded: its true cells are the
            // discs of its (equally transformed) true mask, not the sample's centres.
            List<CellMatch.Point> centres = augmented
                    ? maskCentres(truth, i * h * w, w, h, size[0], size[1])
                    : points(s.centres());
            acc.addImage(probabilities, truth, i * h * w, w, h, centres, size[0], size[1], s.label());
        }
    }

    /** Centroids of the discs of a true mask at model resolution, in original-image pixels. */
    private static List<CellMatch.Point> maskCentres(float[] truth, int offset, int w, int h, int originalW,
                                                     int originalH) {
        double sx = (double) originalW / w;
        double sy = (double) originalH / h;
        List<CellMatch.Point> out = new ArrayList<>();
        for (CellDetector.Cell c : CellDetector.detect(truth, offset, w, h, 0.5f, 1)) {
            out.add(new CellMatch.Point((c.x() + 0.5) * sx - 0.5, (c.y() + 0.5) * sy - 0.5));
        }
        return out;
    }

    /**
     * Evaluates {@code model} on one pass of {@code loader} (epoch 0 of a loader without shuffling or
     * augmentation), in evaluation mode without recording a graph.
     *
     * @param model    the network
     * @param loader   the images
     * @param settings threshold, minimum area and matching distance
     * @param loss     the loss to report, or {@code null} for none
     * @param sink     receives every image, or {@code null}
     * @return the metrics over every image
     * @throws IOException if a file cannot be read or written
     */
    public Metrics evaluate(VNet model, BatchLoader loader, EvaluationConfig settings, Loss loss, ImageSink sink)
            throws IOException {
        MetricsAccumulator acc = new MetricsAccumulator(settings);
        boolean wasTraining = model.isTraining();
        model.eval();
        // one pool for the whole evaluation: the batches reuse the arrays the layers give back
        try (var ignored = GradMode.noGrad(); var passes = new BufferPool().use()) {
            Iterator<BatchLoader.Batch> it = loader.epoch(0);
            while (it.hasNext()) {
                BatchLoader.Batch batch = it.next();
                Tensor logits = model.forward(batch.images());
                if (loss != null) {
                    acc.addLoss(loss.forward(logits, batch.masks()).item(), batch.samples().size());
                }
                float[] prob = Activations.sigmoid(logits.data());
                addBatch(acc, batch, prob, false);
                if (sink != null) {
                    int[] shape = batch.images().shape();
                    int plane = shape[2] * shape[3];
                    for (int i = 0; i < batch.samples().size(); i++) {
                        Image8 img = ImageTensors.fromChannelsFirst(batch.images().data(), i, shape[1], shape[2], shape[3]);
                        sink.accept(batch.samples().get(i), img, batch.masks().data(), prob, i * plane);
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return acc.result();
    }

    /**
     * {@return a sink that keeps a copy of every image with its prediction in {@code into}}
     *
     * @param into the list to add to
     */
    public static ImageSink collectInto(List<TrainingListener.ImagePrediction> into) {
        return (sample, image, truth, prob, offset) -> {
            int n = image.width() * image.height();
            into.add(new TrainingListener.ImagePrediction(sample, image, Arrays.copyOfRange(truth, offset, offset + n),
                    Arrays.copyOfRange(prob, offset, offset + n)));
        };
    }

    /**
     * Evaluates a checkpoint on every image of {@code samples}, prepared as the checkpoint's run prepared them, on
     * the caller's current {@link dev.vnet.parallel.WorkerPool} (one thread per processor unless the caller chose a pool).
     *
     * @param checkpoint the trained model and its configuration
     * @param samples    the images to evaluate on
     * @return the metrics over every image
     * @throws IOException if an image cannot be read
     */
    public static Metrics evaluate(Checkpoint checkpoint, List<Sample> samples) throws IOException {
        if (checkpoint.config().detection() != null) {
            return evaluateDetector(checkpoint, samples).metrics();
        }
        TrainConfig config = checkpoint.config();
        try (BatchLoader loader = BatchLoader.builder(samples, new SmearPreprocessor(config.preprocess()))
                .batchSize(config.batchSize()).shuffle(false).augment(Augment.NONE).cache(SampleCache.none()).build()) {
            return new Evaluator().evaluate(checkpoint.model(), loader, config.evaluation(), null, null);
        }
    }

    /**
     * Evaluates a point detector's checkpoint on every image of {@code samples} at the thresholds stored in it, through
     * the same {@link HeatMapDetector} and decoder that {@link Segmenter} uses, on as many engine threads as there are
     * processors.
     *
     * @param checkpoint a checkpoint whose configuration has {@link TrainConfig#detection()}
     * @param samples    the images to evaluate on
     * @return the metrics, the touching pairs, the image AUC and the per-image results
     * @throws IOException if an image cannot be read
     */
    public static DetectionValidation.Outcome evaluateDetector(Checkpoint checkpoint, List<Sample> samples)
            throws IOException {
        return evaluateDetector(checkpoint, samples, null);
    }

    /**
     * Evaluates a point detector's checkpoint like {@link #evaluateDetector(Checkpoint, List)} and hands each image's
     * heat-map to {@code sink} as it is scored (for figures of the evaluated images).
     *
     * @param checkpoint a checkpoint whose configuration has {@link TrainConfig#detection()}
     * @param samples    the images to evaluate on
     * @param sink       takes each image at the working scale with its heat-map and target, or {@code null}
     * @return the metrics and the per-image numbers at the checkpoint's thresholds
     * @throws IOException if an image cannot be read
     */
    public static DetectionValidation.Outcome evaluateDetector(Checkpoint checkpoint, List<Sample> samples,
                                                               DetectionValidation.PredictionSink sink)
            throws IOException {
        if (checkpoint.config().detection() == null) {
            throw new IllegalArgumentException("the checkpoint is a mask model (preset " + checkpoint.config().preset()
                    + "), not a point detector");
        }
        return DetectionValidation.evaluateAt(new HeatMapDetector(checkpoint.model(), checkpoint.config().detection()),
                samples, sink);
    }
}
