package dev.vnet.ops;

import dev.vnet.parallel.WorkerPool;

/**
 * How an image operation splits its output rows over the threads of {@link WorkerPool#current()}: into fixed,
 * contiguous bands that depend only on the image size and the thread count. Every output row is computed from
 * the input alone, so the result is the same bytes whatever the number of threads. Small images run on the
 * calling thread.
 */
final class RowBands {
    /** Below this many output samples (rows x columns x channels) per band, splitting costs more than it saves. */
    static final int MIN_SAMPLES_PER_BAND = 1 << 16;

    private RowBands() {}

    /** Computes output rows {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over the rows {@code [0, rows)} in at most {@link WorkerPool#threads()} contiguous bands;
     * {@code samplesPerRow} (output samples per row) decides whether splitting is worth it.
     */
    static void run(int rows, long samplesPerRow, Body body) {
        long total = rows * samplesPerRow;
        int bands = (int) Math.min(rows, Math.max(1, total / MIN_SAMPLES_PER_BAND));
        WorkerPool.current().forChunks(rows, bands, (band, from, to) -> body.run(from, to));
    }
}
