package dev.vnet.io.data;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.Limits;
import dev.vnet.ops.Image8;
import dev.vnet.ops.preprocess.PreparedSample;
import dev.vnet.ops.preprocess.Preprocessor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forms batches of samples as tensors, preparing the next ones on background threads while the
 * model trains.
 *
 * <p>What a batch holds: {@code images} of shape [B, C, H, W], the prepared image's bytes divided
 * by 255 (so in [0, 1]; no mean or standard-deviation normalisation, the preprocessing decides the
 * contrast), channels first in the image's order (RGB, or one gray channel); {@code masks} of
 * shape [B, 1, H, W], 1 where the prepared mask is 128 or more and 0 elsewhere. The last batch of
 * an epoch may be smaller than B unless {@link Builder#dropLast} is set.
 *
 * <p>Each sample goes through: {@link SampleCache} (decode with {@link Sample#load()} and
 * {@link Preprocessor#prepare} on a miss), then {@link Augment} with the stream
 * {@link Augment#random}(seed, epoch, name), then conversion to floats.
 *
 * <p>Deterministic: the order of an epoch is a shuffle seeded by (seed, epoch), and every sample's
 * content depends only on the seed, the epoch and the sample, so the batches are the same whatever
 * the number of threads and their timing. Work runs ahead of the consumer by at most
 * {@link Builder#prefetch} batches. A sample that fails stops the epoch at that sample's batch with a
 * {@link SampleException} naming it. {@link #close()} stops the threads.
 */
public final class BatchLoader implements AutoCloseable {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final List<Sample> samples;
    private final Preprocessor preprocessor;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Augment augment;
    private final SampleCache cache;
    private final int prefetch;
    private final ExecutorService pool;
    private EpochIterator current;
    private boolean closed;

    /** A failure to load, prepare or augment one sample, naming it. */
    public static final class SampleException extends RuntimeException {
        private final transient Sample sample;

        SampleException(Sample sample, Throwable cause) {
            super("sample " + sample.describe() + ": " + cause, cause);
            this.sample = sample;
        }

        /** {@return the sample that failed} */
        public Sample sample() {
            return sample;
        }
    }

    /**
     * One batch.
     *
     * @param images  [B, C, H, W] in [0, 1]
     * @param masks   [B, 1, H, W], 0 or 1
     * @param samples the B samples, in batch order
     */
    public record Batch(Tensor images, Tensor masks, List<Sample> samples) {}

    /** Settings of a loader; see {@link BatchLoader#builder}. */
    public static final class Builder {
        private final List<Sample> samples;
        private final Preprocessor preprocessor;
        private int batchSize = 4;
        private long seed;
        private boolean shuffle = true;
        private boolean dropLast;
        private Augment augment = Augment.NONE;
        private SampleCache cache = SampleCache.none();
        private int threads = 2;
        private int prefetch = 2;

        private Builder(List<Sample> samples, Preprocessor preprocessor) {
            this.samples = List.copyOf(samples);
            this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        }

        /**
         * Samples per batch (default 4, the method's).
         *
         * @param b samples per batch, at least 1
         * @return this builder
         */
        public Builder batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * Seed of the shuffles and augmentations (default 0).
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * {@return whether to shuffle every epoch (default true; false keeps the samples' order, for validation)}
         *
         * @param s whether to shuffle
         */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /**
         * {@return whether to drop a last batch smaller than the batch size (default false: every sample is seen)}
         *
         * @param d whether to drop it
         */
        public Builder dropLast(boolean d) {
            this.dropLast = d;
            return this;
        }

        /**
         * Augmentation (default {@link Augment#NONE}).
         *
         * @param a the augmentation of training images
         * @return this builder
         */
        public Builder augment(Augment a) {
            this.augment = Objects.requireNonNull(a, "augment");
            return this;
        }

        /**
         * Cache of prepared samples (default {@link SampleCache#none()}).
         *
         * @param c the cache
         * @return this builder
         */
        public Builder cache(SampleCache c) {
            this.cache = Objects.requireNonNull(c, "cache");
            return this;
        }

        /**
         * Background threads (default 2); 0 prepares every batch on the calling thread when it is asked for.
         *
         * @param t the thread count, 0 or more, at most {@link Limits#THREADS_PER_PROCESSOR} per processor
         * @return this builder
         */
        public Builder threads(int t) {
            if (t < 0) {
                throw new IllegalArgumentException("loader threads must be >= 0, got " + t);
            }
            if (t > 0) {
                Limits.threads("loader threads", t);
            }
            this.threads = t;
            return this;
        }

        /**
         * {@return how many batches may be prepared ahead of the one being consumed (default 2)}
         *
         * @param p the number of batches, at least 1
         */
        public Builder prefetch(int p) {
            if (p < 0) {
                throw new IllegalArgumentException("prefetch must be >= 0 batches, got " + p);
            }
            this.prefetch = p;
            return this;
        }

        /** {@return the loader} Close it when done to stop its threads. */
        public BatchLoader build() {
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("batch loader needs at least one sample");
            }
            return new BatchLoader(this);
        }
    }

    /**
     * Settings for a loader over {@code samples} prepared by {@code preprocessor}.
     *
     * @param samples      the samples
     * @param preprocessor turns a sample into the network's image and mask
     * @return a builder
     */
    public static Builder builder(List<Sample> samples, Preprocessor preprocessor) {
        return new Builder(samples, preprocessor);
    }

    private BatchLoader(Builder b) {
        this.samples = b.samples;
        this.preprocessor = b.preprocessor;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.augment = b.augment;
        this.cache = b.cache;
        this.prefetch = b.prefetch;
        if (b.threads == 0) {
            this.pool = null;
        } else {
            String prefix = "vnet-loader-" + POOL_NUMBER.incrementAndGet() + "-";
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(b.threads, r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /**
     * {@return the samples in the order epoch {@code epoch} visits them}
     *
     * @param epoch the epoch (0-based)
     */
    public List<Sample> order(int epoch) {
        List<Sample> order = new ArrayList<>(samples);
        if (shuffle) {
            Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = order.size() - 1; i > 0; i--) {
                Collections.swap(order, i, rng.nextInt(i + 1));
            }
        }
        if (dropLast) {
            return order.subList(0, order.size() / batchSize * batchSize);
        }
        return order;
    }

    /** {@return the number of batches in every epoch} */
    public int batchesPerEpoch() {
        int n = samples.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** {@return the number of samples} */
    public int size() {
        return samples.size();
    }

    /**
     * {@return the batches of epoch {@code epoch} (0-based)} Starting an epoch abandons the unfinished one before it
     * (its pending work is cancelled).
     *
     * @param epoch the epoch (0-based)
     * @throws IllegalStateException if the loader is closed
     */
    public synchronized Iterator<Batch> epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("batch loader is closed");
        }
        if (current != null) {
            current.cancel();
        }
        current = new EpochIterator(epoch, order(epoch));
        return current;
    }

    /** Prepares one sample for epoch {@code epoch}: cache (or decode and preprocess), augment. */
    PreparedSample prepare(Sample sample, int epoch) {
        try {
            PreparedSample p = cache.get(sample, () -> preprocessor.prepare(sample.load(), sample.centres()));
            return augment.apply(p, Augment.random(seed, epoch, sample.name()));
        } catch (Exception | OutOfMemoryError e) {
            // An out-of-memory error too: the message then names the image that needed the memory.
            throw new SampleException(sample, e);
        }
    }

    /** Stops the background threads, cancelling pending work. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.cancel();
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("batch loader threads did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int epoch;
        private final List<Sample> order;
        private final ArrayDeque<Future<PreparedSample>> pending = new ArrayDeque<>();
        private int submitted;
        private int consumed;
        private boolean failed;

        EpochIterator(int epoch, List<Sample> order) {
            this.epoch = epoch;
            this.order = order;
            fill();
        }

        /** Keeps the current batch and {@code prefetch} more submitted. */
        private void fill() {
            if (pool == null) {
                return;
            }
            // In 64 bits: (prefetch + 1) × a batch size of 10^9 overflows an int, and nothing would be submitted.
            int limit = (int) Math.min(order.size(), consumed + (long) (prefetch + 1) * batchSize);
            while (submitted < limit) {
                Sample s = order.get(submitted++);
                pending.add(CompletableFuture.supplyAsync(() -> prepare(s, epoch), pool));
            }
        }

        @Override
        public boolean hasNext() {
            return !failed && consumed < order.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            int n = Math.min(batchSize, order.size() - consumed);
            List<Sample> batchSamples = order.subList(consumed, consumed + n);
            PreparedSample[] prepared = new PreparedSample[n];
            try {
                for (int i = 0; i < n; i++) {
                    prepared[i] = pool == null ? prepare(batchSamples.get(i), epoch) : await(pending.poll());
                }
            } catch (RuntimeException e) {
                failed = true;
                cancel();
                throw e;
            }
            consumed += n;
            fill();
            return toBatch(prepared, batchSamples);
        }

        private PreparedSample await(Future<PreparedSample> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            } catch (CancellationException e) {
                throw new IllegalStateException("batch loader was closed or moved on to another epoch", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SampleException se) {
                    throw se;
                }
                throw new IllegalStateException("batch loader failed", cause);
            }
        }

        void cancel() {
            for (Future<PreparedSample> f : pending) {
                f.cancel(true);
            }
            pending.clear();
        }
    }

    /** Copies prepared samples into [B, C, H, W] and [B, 1, H, W] tensors. */
    private static Batch toBatch(PreparedSample[] prepared, List<Sample> batchSamples) {
        Image8 first = prepared[0].image();
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        int plane = h * w;
        float[] images = new float[prepared.length * c * plane];
        float[] masks = new float[prepared.length * plane];
        for (int b = 0; b < prepared.length; b++) {
            Image8 img = prepared[b].image();
            if (img.channels() != c || img.width() != w || img.height() != h) {
                throw new SampleException(batchSamples.get(b), new IllegalArgumentException(
                        "prepared image is " + img + " but " + batchSamples.get(0).name() + " in the same batch is "
                                + first));
            }
            ImageTensors.toChannelsFirst(img, images, b * c * plane);
            byte[] m = prepared[b].mask().data();
            for (int p = 0; p < plane; p++) {
                masks[b * plane + p] = (m[p] & 0xFF) >= 128 ? 1f : 0f;
            }
        }
        return new Batch(Tensor.wrap(images, prepared.length, c, h, w), Tensor.wrap(masks, prepared.length, 1, h, w),
                List.copyOf(batchSamples));
    }
}
