package dev.vnet.core.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's worker threads. Work is split into fixed, contiguous chunks that depend only on the
 * problem size and the thread count, so a computation gives the same bits on every run with the same
 * thread count (no work stealing decides who adds what in which order).
 *
 * <p>The thread count defaults to the number of available processors, or to the system property
 * {@code vnet.threads} when set.
 */
public final class Parallel {
    private static volatile int threads = defaultThreads();
    private static volatile ExecutorService pool;

    private Parallel() {}

    private static int defaultThreads() {
        String p = System.getProperty("vnet.threads");
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
            throw new IllegalArgumentException("system property vnet.threads must be a whole number >= 1, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@return the number of threads the engine uses} */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads the engine uses (1 = everything on the calling thread).
     *
     * @param n the thread count, at least 1
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

    /** A body that processes the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Processes items {@code from} (inclusive) to {@code to} (exclusive), as chunk {@code chunk}.
         *
         * @param chunk the chunk index, 0-based
         * @param from  the first item (inclusive)
         * @param to    the last item (exclusive)
         */
        void run(int chunk, int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks of
     * near-equal size; chunk {@code i} always covers the same range for the same {@code n} and thread count.
     * Runs on the calling thread when there is one chunk, or when called from a worker thread.
     *
     * @param n    the number of items
     * @param body the work for one chunk
     */
    public static void forRange(int n, RangeBody body) {
        int t = Math.min(threads, n);
        if (t <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) {
                body.run(0, 0, n);
            }
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> futures = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            final int chunk = i;
            futures.add(ex.submit(() -> body.run(chunk, start(n, t, chunk), start(n, t, chunk + 1))));
        }
        RuntimeException failure = null;
        try {
            body.run(0, 0, start(n, t, 1));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * First index of chunk {@code i} when {@code n} items are split into {@code t} chunks.
     *
     * @param n the number of items
     * @param t the number of chunks
     * @param i the chunk index, 0-based
     * @return the first index of that chunk
     */
    public static int start(int n, int t, int i) {
        return (int) ((long) n * i / t);
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    AtomicInteger id = new AtomicInteger();
                    pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                        Worker w = new Worker(r, "vnet-worker-" + id.incrementAndGet());
                        w.setDaemon(true);
                        return w;
                    });
                }
                p = pool;
            }
        }
        return p;
    }

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
