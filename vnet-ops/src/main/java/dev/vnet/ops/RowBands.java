package dev.vnet.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of the image operations. An operation's output rows are split into fixed,
 * contiguous bands that depend only on the image size and the thread count; every output row is
 * computed from the input alone, so the result is the same bytes whatever the number of threads.
 *
 * <p>The thread count defaults to the number of available processors, or to the system property
 * {@code vnet.ops.threads} when set. Small images run on the calling thread.
 */
public final class RowBands {
    /** Below this many output samples (rows x columns x channels) per band, splitting costs more than it saves. */
    static final int MIN_SAMPLES_PER_BAND = 1 << 16;

    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;

    private RowBands() {}

    private static int defaultThreads() {
        String p = System.getProperty("vnet.ops.threads");
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("system property vnet.ops.threads must be a whole number >= 1, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@return the number of threads the image operations use} */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads the image operations use; 1 runs everything on the calling thread.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != threads) {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    /** Computes output rows {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over the rows {@code [0, rows)} in at most {@link #threads()} contiguous bands;
     * {@code samplesPerRow} (output samples per row) decides whether splitting is worth it.
     */
    static void run(int rows, long samplesPerRow, Body body) {
        long total = rows * samplesPerRow;
        int bands = (int) Math.min(Math.min(threads, rows), Math.max(1, total / MIN_SAMPLES_PER_BAND));
        if (bands <= 1 || Thread.currentThread() instanceof Worker) {
            body.run(0, rows);
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> futures = new ArrayList<>(bands - 1);
        for (int b = 1; b < bands; b++) {
            int from = (int) ((long) rows * b / bands);
            int to = (int) ((long) rows * (b + 1) / bands);
            futures.add(ex.submit(() -> body.run(from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) rows / bands));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException("image operation interrupted", failure);
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Worker w = new Worker(r, "vnet-ops-" + id.incrementAndGet());
                w.setDaemon(true);
                return w;
            });
        }
        return pool;
    }

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
