package dev.vnet.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Worker threads for the parallel loops of vnet-core (tensor kernels) and vnet-ops (image operations).
 * A loop over {@code n} items is split into fixed, contiguous chunks that depend only on {@code n} and the
 * thread count, so a computation gives the same bits on every run with the same thread count (no work
 * stealing decides who adds what in which order).
 *
 * <h2>Which pool a loop uses</h2>
 * A loop runs on {@link #current()}: the pool whose {@link #run} or {@link #call} encloses it on the calling
 * thread, or else the process-wide default pool. A program that runs two computations side by side, each with
 * its own thread count, gives each its own pool:
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.of(4)) {
 *     pool.run(() -> trainer.train());   // every loop inside uses 4 threads, whatever other threads do
 * }
 * }</pre>
 * The default pool has the number of available processors, or the system property {@value #THREADS_PROPERTY}
 * when set; {@link #setDefaultThreads} changes it for callers that set nothing else.
 *
 * <p>Loops started on a worker thread (a loop inside a loop's chunk) run on that thread, in one chunk.
 */
public final class WorkerPool implements AutoCloseable {

    /** The system property that sets the default pool's thread count (a whole number, at least 1). */
    public static final String THREADS_PROPERTY = "vnet.threads";

    private static final ThreadLocal<WorkerPool> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger POOL_IDS = new AtomicInteger();
    private static volatile WorkerPool defaultPool;

    private final int threads;
    private final String name;
    private ExecutorService executor;

    private WorkerPool(int threads) {
        this.threads = threads;
        this.name = "vnet-worker-" + POOL_IDS.incrementAndGet();
    }

    /**
     * {@return a new pool for {@code threads} threads} Its worker threads ({@code threads − 1}: the caller
     * works too) start at its first parallel loop; {@link #close} stops them (they are daemon threads).
     *
     * @param threads the thread count, at least 1 (1 = every loop on the calling thread)
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static WorkerPool of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new WorkerPool(threads);
    }

    /** {@return the pool that parallel loops on this thread use now: the enclosing {@link #run}'s, or the default} */
    public static WorkerPool current() {
        WorkerPool scoped = CURRENT.get();
        return scoped != null ? scoped : defaultPool();
    }

    /** {@return the process-wide pool for callers that chose none} */
    public static WorkerPool defaultPool() {
        WorkerPool p = defaultPool;
        if (p == null) {
            synchronized (WorkerPool.class) {
                if (defaultPool == null) {
                    defaultPool = new WorkerPool(threadsFromProperty());
                }
                p = defaultPool;
            }
        }
        return p;
    }

    /**
     * Replaces the default pool by one of {@code threads} threads (nothing changes if it has that many already).
     * Code running inside a {@link #run} keeps its own pool.
     *
     * @param threads the thread count, at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static synchronized void setDefaultThreads(int threads) {
        WorkerPool old = defaultPool();
        if (old.threads != threads) {
            defaultPool = of(threads);
            old.close();
        }
    }

    private static int threadsFromProperty() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a whole number >= 1, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@return the number of threads this pool runs a loop on (the caller's included)} */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code work} on the calling thread with this pool as {@link #current()}; the previous one is current
     * again afterwards.
     *
     * @param work the work whose parallel loops use this pool
     */
    public void run(Runnable work) {
        Objects.requireNonNull(work, "work");
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * {@return the result of {@code work}, run on the calling thread with this pool as {@link #current()}}
     *
     * @param work the work whose parallel loops use this pool
     * @param <T>  the result type
     */
    public <T> T call(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        WorkerPool previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
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
     * Runs {@code body} over {@code [0, n)} split into {@link #chunks(int) chunks(n)} contiguous chunks of
     * near-equal size; chunk {@code i} covers {@code [start(n, t, i), start(n, t, i + 1))}.
     * Runs on the calling thread when there is one chunk, or when called from a worker thread.
     *
     * @param n    the number of items
     * @param body the work for one chunk
     */
    public void forRange(int n, RangeBody body) {
        forChunks(n, chunks(n), body);
    }

    /**
     * {@return the number of chunks {@link #forRange} splits {@code n} items into: {@code min(threads, n)}, at least 1}
     *
     * @param n the number of items
     */
    public int chunks(int n) {
        return Math.max(1, Math.min(threads, n));
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into {@code chunks} contiguous chunks (at most {@link #threads()}
     * are used) of near-equal size.
     *
     * @param n      the number of items
     * @param chunks the number of chunks wanted
     * @param body   the work for one chunk
     */
    public void forChunks(int n, int chunks, RangeBody body) {
        int t = Math.min(Math.min(threads, chunks), n);
        if (t <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) {
                body.run(0, 0, n);
            }
            return;
        }
        ExecutorService ex = executor();
        List<Future<?>> futures = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            int chunk = i;
            futures.add(ex.submit(() -> body.run(chunk, start(n, t, chunk), start(n, t, chunk + 1))));
        }
        Throwable failure = null;
        try {
            body.run(0, 0, start(n, t, 1));
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
                    failure = new IllegalStateException("interrupted while waiting for worker threads", e);
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
            throw new IllegalStateException(failure);
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

    private synchronized ExecutorService executor() {
        if (executor == null) {
            AtomicInteger id = new AtomicInteger();
            executor = Executors.newFixedThreadPool(threads - 1, r -> {
                Worker w = new Worker(r, name + "-" + id.incrementAndGet());
                w.setDaemon(true);
                return w;
            });
        }
        return executor;
    }

    /**
     * Stops the worker threads once their queued chunks are done. A loop started afterwards starts new ones (a
     * caller that still holds the default pool that {@link #setDefaultThreads} replaced does not fail).
     */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            executor = null;
        }
    }

    @Override
    public String toString() {
        return name + "[" + threads + " threads]";
    }

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
