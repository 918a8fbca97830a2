package dev.vnet.train.detect;

import dev.vnet.core.loss.Loss;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.train.CellMatch;
import dev.vnet.train.ImageCounts;
import dev.vnet.train.Metrics;
import dev.vnet.train.MetricsAccumulator;
import dev.vnet.train.PixelCounts;
import dev.vnet.io.data.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a heat-map detector on whole validation images the way it will be used: tiled inference at the working
 * scale, the {@link PeakDecoder}, both thresholds chosen on these images ({@link ThresholdChoice}) and the
 * {@link Metrics} at those thresholds. Because the thresholds are chosen on the same images, these numbers flatter the
 * model a little; a folder it never saw ({@code vnet eval}) gives the held-out ones.
 *
 * <p>In the {@link Metrics}: the loss is the training loss on each whole image's heat-map (its logits recovered from
 * the probabilities) against the image's target, averaged over images; the pixel counts compare the heat-map with the
 * target, both cut at 0.5 (the cores of the peaks), at the working scale.
 */
public final class DetectionValidation {
    private DetectionValidation() {}

    /**
     * The outcome of one validation.
     *
     * @param metrics the metrics at the chosen thresholds
     * @param choice  the chosen thresholds with their curves and per-image results
     */
    public record Outcome(Metrics metrics, ThresholdChoice choice) {}

    /**
     * Runs {@code detector} over {@code images}, chooses both thresholds on them and measures it there.
     *
     * @param detector the detector (its thresholds are ignored: they are chosen here)
     * @param images   the validation images at the working scale
     * @param loss     the training loss, for the validation loss
     * @return the metrics and the thresholds
     */
    public static Outcome evaluate(HeatMapDetector detector, List<ScaledImage> images, Loss loss) {
        return choose(score(detector, images, loss), detector.settings());
    }

    /**
     * Chooses both thresholds on scored images and measures the detector there: the second half of
     * {@link #evaluate}, for a caller that keeps the scores.
     *
     * @param r the scored validation images
     * @param s the detection settings (their thresholds are ignored: they are chosen here)
     * @return the metrics and the thresholds
     */
    public static Outcome choose(Scored r, DetectionConfig s) {
        ThresholdChoice choice = ThresholdChoice.choose(r.images(), s.matchDistance(), s.pairDistance());
        return new Outcome(metrics(r.images(), choice.cellThreshold(), choice.imageThreshold(), s.matchDistance(),
                r.loss(), r.pixels()), choice);
    }

    /**
     * Runs {@code detector} over images it never saw and measures it at its own thresholds (a checkpoint's).
     *
     * @param detector the detector
     * @param samples  the images
     * @return the metrics and the numbers at the detector's thresholds
     * @throws IOException if an image cannot be read
     */
    public static Outcome evaluateAt(HeatMapDetector detector, List<Sample> samples) throws IOException {
        return evaluateAt(detector, samples, null);
    }

    /**
     * Runs {@code detector} over images it never saw, measures it at its own thresholds and hands every image's
     * heat-map to {@code sink}.
     *
     * @param detector the detector
     * @param samples  the images
     * @param sink     takes each image's heat-map and target, or {@code null}
     * @return the metrics and the numbers at the detector's thresholds
     * @throws IOException if an image cannot be read
     */
    public static Outcome evaluateAt(HeatMapDetector detector, List<Sample> samples, PredictionSink sink)
            throws IOException {
        return evaluateScaledAt(detector, ScaledImage.ofAll(samples, detector.settings().workingScale()), sink);
    }

    /**
     * Measures the point detector on images already at the working scale, at its own thresholds (a checkpoint's).
     *
     * @param detector the detector
     * @param images   the images at the working scale
     * @return the metrics and the numbers at the detector's thresholds
     */
    public static Outcome evaluateScaledAt(HeatMapDetector detector, List<ScaledImage> images) {
        return evaluateScaledAt(detector, images, null);
    }

    /**
     * What the network predicted on one whole image, handed out as it is scored.
     */
    @FunctionalInterface
    public interface PredictionSink {
        /**
         * Takes one image's prediction.
         *
         * @param image   the image at the working scale
         * @param heatMap the network's heat-map, {@code height × width} of the working image, row-major
         * @param target  the training target of the same size (a peak of exactly 1 at each labelled blast)
         */
        void accept(ScaledImage image, float[] heatMap, float[] target);
    }

    /**
     * Measures the point detector on images already at the working scale, at its own thresholds, and hands every
     * image's heat-map to {@code sink} (for figures of the images).
     *
     * @param detector the detector
     * @param images   the images at the working scale
     * @param sink     takes each image's heat-map and target, or {@code null}
     * @return the metrics and the numbers at the detector's thresholds
     */
    public static Outcome evaluateScaledAt(HeatMapDetector detector, List<ScaledImage> images, PredictionSink sink) {
        return at(score(detector, images, detector.settings().trainingLoss(), sink), detector.settings());
    }

    /**
     * Measures scored images at the thresholds of {@code s}: the second half of {@link #evaluateScaledAt}, for
     * images scored already with the same weights (the training run's best epoch, whose scores it kept).
     *
     * @param r the scored images (their loss the one of {@code s}'s training loss, as {@link #evaluateScaledAt}'s)
     * @param s the detection settings with the thresholds to measure at
     * @return the metrics and the numbers at those thresholds
     */
    public static Outcome at(Scored r, DetectionConfig s) {
        ThresholdChoice at = ThresholdChoice.at(r.images(), s.cellThreshold(), s.imageThreshold(), s.matchDistance(),
                s.pairDistance());
        return new Outcome(metrics(r.images(), s.cellThreshold(), s.imageThreshold(), s.matchDistance(), r.loss(),
                r.pixels()), at);
    }

    /**
     * Adds what the network predicted on a batch of training patches to {@code acc}: the pixel counts of heat-map
     * against target (both cut at 0.5), and the cells the decoder finds at the configured cell threshold matched to the
     * patches' blasts (the target's pixels of value 1) within the matching distance at the working scale; the image
     * counts are per patch (a patch with a blast is "ALL", one with a cell found is called so).
     *
     * @param acc           the training pass's accumulator
     * @param settings      the detection settings
     * @param targets       the patches' targets, {@code [n, 1, s, s]}
     * @param probabilities the network's heat-maps, same layout
     */
    public static void addPatches(MetricsAccumulator acc, DetectionConfig settings, Tensor targets,
                                  float[] probabilities) {
        int[] shape = targets.shape();
        int h = shape[2];
        int w = shape[3];
        float[] y = targets.data();
        PeakDecoder decoder = settings.decoder();
        double distance = settings.matchDistance() * settings.workingScale().factor();
        CellMatch cells = CellMatch.EMPTY;
        ImageCounts patches = ImageCounts.EMPTY;
        for (int n = 0; n < shape[0]; n++) {
            int offset = n * h * w;
            List<CellMatch.Point> truth = new ArrayList<>();
            for (int i = 0; i < h * w; i++) {
                if (y[offset + i] >= 1 - 1e-6f) {
                    truth.add(new CellMatch.Point(i % w, i / w));
                }
            }
            List<CellMatch.Point> found = new ArrayList<>();
            for (DetectedCell c : decoder.peaks(probabilities, offset, w, h)) {
                found.add(new CellMatch.Point(c.x(), c.y()));
            }
            cells = cells.plus(CellMatch.match(found, truth, distance));
            patches = patches.plus(ImageCounts.of(!found.isEmpty(), !truth.isEmpty()));
        }
        acc.add(PixelCounts.of(probabilities, y, 0, y.length, 0.5f), cells, patches, shape[0]);
    }

    /**
     * Every image's candidate cells, with the pixel counts and mean loss over the images: all that thresholds are
     * chosen and measured from, without the heat-maps.
     *
     * @param images every image with its candidate cells and true centres
     * @param pixels the pixel counts of heat-map against target, both cut at 0.5
     * @param loss   the mean loss over the images, NaN for none
     */
    public record Scored(List<ThresholdChoice.ScoredImage> images, PixelCounts pixels, double loss) {}

    /**
     * {@return every image's heat-map through {@code detector}, decoded down to the candidate floor and compared with
     * its target}
     *
     * @param detector the detector (its thresholds are not used)
     * @param images   the images at the working scale
     * @param loss     the loss of the heat-maps against the targets
     */
    public static Scored score(HeatMapDetector detector, List<ScaledImage> images, Loss loss) {
        return score(detector, images, loss, null);
    }

    /**
     * {@return every image's heat-map through {@code detector}, decoded down to the candidate floor and compared with
     * its target, each heat-map handed to {@code sink} as it is made}
     *
     * @param detector the detector (its thresholds are not used)
     * @param images   the images at the working scale
     * @param loss     the loss of the heat-maps against the targets
     * @param sink     takes each image's heat-map and target, or {@code null}
     */
    public static Scored score(HeatMapDetector detector, List<ScaledImage> images, Loss loss, PredictionSink sink) {
        DetectionConfig s = detector.settings();
        double sigma = HeatMapTarget.sigmaFor(s.targetDiameter());
        List<ThresholdChoice.ScoredImage> scored = new ArrayList<>();
        PixelCounts pixels = PixelCounts.EMPTY;
        double lossSum = 0;
        for (ScaledImage img : images) {
            int w = img.image().width();
            int h = img.image().height();
            float[] map = detector.heatMapOfScaled(img.image());
            float[] target = HeatMapTarget.render(w, h, img.blasts(), sigma);
            if (sink != null) {
                sink.accept(img, map, target);
            }
            pixels = pixels.plus(PixelCounts.of(map, target, 0, map.length, 0.5f));
            float[] logits = new float[map.length];
            for (int i = 0; i < map.length; i++) {
                // Probabilities are clamped away from 0 and 1 so that a saturated pixel keeps a finite logit.
                double p = Math.min(1 - 1e-7, Math.max(1e-7, map[i]));
                logits[i] = (float) Math.log(p / (1 - p));
            }
            lossSum += loss.forward(Tensor.wrap(logits, 1, 1, h, w), Tensor.wrap(target, 1, 1, h, w)).item();
            List<CellMatch.Point> truth = new ArrayList<>();
            for (double[] b : img.blasts()) {
                truth.add(new CellMatch.Point(WorkingScale.toOriginal(b[0], img.originalWidth(), w),
                        WorkingScale.toOriginal(b[1], img.originalHeight(), h)));
            }
            scored.add(new ThresholdChoice.ScoredImage(img.name(), img.label(),
                    detector.candidates(map, w, h, img.originalWidth(), img.originalHeight()), truth));
        }
        return new Scored(scored, pixels, images.isEmpty() ? Double.NaN : lossSum / images.size());
    }

    /**
     * {@return the metrics of scored images at given thresholds}
     *
     * @param scored         the images with every candidate cell
     * @param cellThreshold  the cell threshold
     * @param imageThreshold the image threshold
     * @param matchDistance  the matching distance in original pixels
     * @param loss           the mean loss, or NaN
     * @param pixels         the pixel counts
     */
    public static Metrics metrics(List<ThresholdChoice.ScoredImage> scored, float cellThreshold, float imageThreshold,
                                  double matchDistance, double loss, PixelCounts pixels) {
        ImageCounts image = ImageCounts.EMPTY;
        for (ThresholdChoice.ScoredImage i : scored) {
            image = image.plus(ImageCounts.of(i.score() >= imageThreshold, i.label()));
        }
        return new Metrics(loss, scored.size(), pixels, ThresholdChoice.cellsAt(scored, cellThreshold, matchDistance),
                image);
    }
}
