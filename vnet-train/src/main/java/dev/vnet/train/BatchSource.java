package dev.vnet.train;

import dev.vnet.ops.preprocess.SmearPreprocessor;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.SampleCache;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.PatchBatches;
import dev.vnet.train.detect.PatchSampler;
import dev.vnet.train.detect.ScaledImage;
import dev.vnet.train.detect.StainJitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Where a {@link Trainer} takes the training batches of each epoch from; each batch's {@code masks} is the target
 * its loss compares the network's output with. The batches of an epoch must depend only on the seed and the epoch,
 * so that a resumed run sees what an uninterrupted one would have.
 */
public interface BatchSource extends AutoCloseable {
    /** {@return the images of one epoch} */
    int imagesPerEpoch();

    /**
     * {@return the batches of {@code epoch}}
     *
     * @param epoch 1-based epoch number
     */
    Iterator<BatchLoader.Batch> epoch(int epoch);

    @Override
    void close();

    /** Opens the batch source of a run over its training split. */
    @FunctionalInterface
    interface Factory {
        /**
         * {@return the batch source}
         *
         * @param training the training split
         * @param config   the run's configuration
         * @param cache    the run's cache of prepared samples, shared with validation
         */
        BatchSource open(List<Sample> training, TrainConfig config, SampleCache cache);
    }

    /**
     * {@return the batches of {@code loader}}
     *
     * @param loader the loader; closing the source closes it
     */
    static BatchSource of(BatchLoader loader) {
        return new BatchSource() {
            @Override
            public int imagesPerEpoch() {
                return loader.size();
            }

            @Override
            public Iterator<BatchLoader.Batch> epoch(int epoch) {
                return loader.epoch(epoch);
            }

            @Override
            public void close() {
                loader.close();
            }
        };
    }

    /**
     * {@return the point detector's batches: patches at the working scale with their heat-map targets, blasts, hard
     * negatives and background mixed ({@link PatchSampler}), flipped, turned and stain-jittered if the configuration
     * augments; an epoch is {@code detection.patchesPerEpoch()} patches}
     */
    static Factory patches() {
        return (training, config, cache) -> {
            DetectionConfig d = config.detection();
            if (d == null) {
                throw new IllegalArgumentException("patch batches need a configuration with detection settings (preset "
                        + config.preset() + " has none)");
            }
            List<ScaledImage> images;
            try {
                images = ScaledImage.ofAll(training, d.workingScale());
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            PatchSampler sampler = new PatchSampler(images, d.patchSize(), d.targetDiameter(), PatchSampler.Mix.DEFAULT,
                    config.augment(), config.augment() ? StainJitter.CARD : StainJitter.NONE, config.seed());
            return new PatchBatches(sampler, config.batchSize(), d.patchesPerEpoch());
        };
    }

    /**
     * {@return the method's batches: whole preprocessed images and their masks, shuffled every epoch and augmented
     * if the configuration says so}
     */
    static Factory wholeImages() {
        return (training, config, cache) -> of(BatchLoader.builder(training, new SmearPreprocessor(config.preprocess()))
                .batchSize(config.batchSize()).seed(config.seed()).shuffle(true)
                .augment(config.augment() ? Augment.STANDARD : Augment.NONE).cache(cache).build());
    }
}
