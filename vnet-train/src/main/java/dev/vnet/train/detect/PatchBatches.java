package dev.vnet.train.detect;

import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.train.BatchSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The training batches of the point detector: each epoch is {@code patchesPerEpoch} patches of a
 * {@link PatchSampler}, in batches of {@code batchSize} (the last one smaller when they do not divide), as
 * {@link BatchLoader.Batch}es whose {@code masks} are the heat-map targets. Every batch depends only on the seed and
 * the epoch, so a resumed run sees what an uninterrupted one would have.
 */
public final class PatchBatches implements BatchSource {
    private final PatchSampler sampler;
    private final int batchSize;
    private final int patchesPerEpoch;

    /**
     * Batches of {@code sampler}'s patches.
     *
     * @param sampler         the patches
     * @param batchSize       patches per batch, at least 1
     * @param patchesPerEpoch patches per epoch, at least 1
     */
    public PatchBatches(PatchSampler sampler, int batchSize, int patchesPerEpoch) {
        if (batchSize < 1 || patchesPerEpoch < 1) {
            throw new IllegalArgumentException("patch batches need batch size >= 1 and patches per epoch >= 1, got "
                    + batchSize + " and " + patchesPerEpoch);
        }
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.patchesPerEpoch = patchesPerEpoch;
    }

    /** {@return the patches of one epoch} */
    @Override
    public int imagesPerEpoch() {
        return patchesPerEpoch;
    }

    /**
     * {@return the batches of {@code epoch}}
     *
     * @param epoch the epoch (1-based in a run; any number gives its own patches)
     */
    @Override
    public Iterator<BatchLoader.Batch> epoch(int epoch) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < patchesPerEpoch;
            }

            @Override
            public BatchLoader.Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + patchesPerEpoch + " patches");
                }
                int n = Math.min(batchSize, patchesPerEpoch - next);
                PatchSampler.Batch b = sampler.batch(epoch, next, n);
                List<Sample> samples = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    PatchSampler.Patch p = b.patches().get(i);
                    // A patch is named after its image and place in the epoch, so an error can say where it came from.
                    samples.add(Sample.ofImage(p.source() + " (patch " + (next + i) + " of epoch " + epoch + ")",
                            p.image(), List.of(), !p.centres().isEmpty()));
                }
                next += n;
                return new BatchLoader.Batch(b.images(), b.targets(), samples);
            }
        };
    }

    @Override
    public void close() {
        // Nothing is held but memory.
    }
}
