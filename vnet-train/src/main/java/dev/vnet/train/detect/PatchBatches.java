package dev.vnet.train.detect;

import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.parallel.BackgroundThread;
import dev.vnet.train.BatchSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Future;

/**
 * The training batches of the point detector: each epoch is {@code patchesPerEpoch} patches of a
 * {@link PatchSampler}, in batches of {@code batchSize} (the last one smaller when they do not divide), as
 * {@link BatchLoader.Batch}es whose {@code masks} are the heat-map targets. Every batch depends only on the seed and
 * the epoch, so a resumed run sees what an uninterrupted one would have. Each batch is cut on a background thread
 * while the network trains on the one before, so the steps do not wait for the patches.
 */
public final class PatchBatches implements BatchSource {
    private final PatchSampler sampler;
    private final int batchSize;
    private final int patchesPerEpoch;
    private final BackgroundThread background = new BackgroundThread("vnet-patches");

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
            // The batch after the one handed out, cut on the background thread while the network trains on this one.
            private Future<BatchLoader.Batch> ahead = prepare(epoch, 0);

            @Override
            public boolean hasNext() {
                return next < patchesPerEpoch;
            }

            @Override
            public BatchLoader.Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + patchesPerEpoch + " patches");
                }
                BatchLoader.Batch b = BackgroundThread.await(ahead, "cutting a batch of patches");
                next += b.samples().size();
                ahead = next < patchesPerEpoch ? prepare(epoch, next) : null;
                return b;
            }
        };
    }

    /** Starts cutting the batch of {@code epoch} whose first patch is {@code first}. */
    private Future<BatchLoader.Batch> prepare(int epoch, int first) {
        return background.submit(() -> batch(epoch, first));
    }

    /** The batch of {@code epoch} whose first patch is {@code first}: depends on nothing else. */
    private BatchLoader.Batch batch(int epoch, int first) {
        int n = Math.min(batchSize, patchesPerEpoch - first);
        PatchSampler.Batch b = sampler.batch(epoch, first, n);
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PatchSampler.Patch p = b.patches().get(i);
            // A patch is named after its image and place in the epoch, so an error can say where it came from.
            samples.add(Sample.ofImage(p.source() + " (patch " + (first + i) + " of epoch " + epoch + ")",
                    p.image(), List.of(), !p.centres().isEmpty()));
        }
        return new BatchLoader.Batch(b.images(), b.targets(), samples);
    }

    @Override
    public void close() {
        background.close();
    }
}
