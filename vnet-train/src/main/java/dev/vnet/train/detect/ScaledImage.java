package dev.vnet.train.detect;

import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.parallel.WorkerPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A smear at the working scale with what the patch sampler needs of it.
 *
 * @param name           the sample's name
 * @param image          the RGB image at the working scale
 * @param originalWidth  the original image's width in pixels
 * @param originalHeight the original image's height in pixels
 * @param blasts         labelled blast centres {x, y} in working pixels
 * @param negatives      centres {x, y} of purple blobs with no labelled blast near them (hard negatives), working pixels
 * @param label          true for an ALL image
 */
public record ScaledImage(String name, Image8 image, int originalWidth, int originalHeight, List<double[]> blasts,
                          List<double[]> negatives, boolean label) {

    /**
     * Copies the lists.
     *
     * @param name           the sample's name
     * @param image          the RGB image at the working scale
     * @param originalWidth  the original image's width in pixels
     * @param originalHeight the original image's height in pixels
     * @param blasts         labelled blast centres {x, y} in working pixels
     * @param negatives      centres {x, y} of unlabelled purple blobs, working pixels
     * @param label          true for an ALL image
     */
    public ScaledImage {
        blasts = List.copyOf(blasts);
        negatives = List.copyOf(negatives);
    }

    /**
     * Loads a sample and brings it to the working scale: its blast centres mapped, its purple blobs found (at least
     * {@link PurpleBlobs#MIN_AREA_PER_DIAMETER_SQUARED} of a blast diameter squared) and those farther than 0.6
     * diameters from every labelled blast kept as hard negatives.
     *
     * @param sample the sample
     * @param scale  the working scale
     * @return the scaled image
     * @throws IOException if the image cannot be read
     */
    public static ScaledImage of(Sample sample, WorkingScale scale) throws IOException {
        return of(sample, scale, sample.load());
    }

    /**
     * {@link #of(Sample, WorkingScale)} of every sample, decoded and scaled on the threads of the current
     * {@link WorkerPool} (each image on its own, so the result does not depend on the thread count).
     *
     * @param samples the samples
     * @param scale   the working scale
     * @return the scaled images, in the order of {@code samples}
     * @throws IOException if an image cannot be read
     */
    public static List<ScaledImage> ofAll(List<Sample> samples, WorkingScale scale) throws IOException {
        int n = samples.size();
        ScaledImage[] out = new ScaledImage[n];
        WorkerPool pool = WorkerPool.current();
        int threads = pool.chunks(n);
        try {
            // Thread k takes images k, k + threads, ...: a folder sorted by camera would give one thread all the
            // large photographs in contiguous chunks.
            pool.forRange(threads, (chunk, from, to) -> {
                for (int k = from; k < to; k++) {
                    for (int i = k; i < n; i += threads) {
                        try {
                            out[i] = of(samples.get(i), scale);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + samples.get(i).describe() + ": "
                                    + e.getMessage(), e);
                        }
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
        return List.of(out);
    }

    private static ScaledImage of(Sample sample, WorkingScale scale, Image8 original) {
        Image8 img = scale.apply(original);
        List<double[]> blasts = new ArrayList<>();
        for (Point p : sample.centres()) {
            blasts.add(new double[] {WorkingScale.toWorking(p.x(), original.width(), img.width()),
                    WorkingScale.toWorking(p.y(), original.height(), img.height())});
        }
        double d = scale.targetDiameter();
        List<double[]> blobs = PurpleBlobs.centres(img, PurpleBlobs.MIN_AREA_PER_DIAMETER_SQUARED * d * d);
        List<double[]> negatives = PurpleBlobs.unlabelled(blobs, blasts, 0.6 * scale.targetDiameter());
        return new ScaledImage(sample.name(), img, original.width(), original.height(), blasts, negatives,
                sample.label());
    }
}
