package dev.vnet.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits {@code [0, n)} into fixed contiguous bands (band {@code i} of {@code parts} always covers
 * {@code [n·i/parts, n·(i+1)/parts)}) and runs them on a shared pool of daemon threads, the calling
 * thread taking the first band. Operations give identical bytes for every band count because each
 * output element is written by exactly one band with the same arithmetic.
 */
final class Bands {
    private static volatile ExecutorService pool;

    private Bands() {}

    /** A body that processes the half-open range {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    static void run(int parts, int n, Body body) {
        if (n <= 0) {
            return;
        }
        int t = Math.max(1, Math.min(parts, n));
        if (t == 1 || Thread.currentThread().getName().startsWith(THREAD_PREFIX)) {
            body.run(0, n);
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> futures = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            int from = start(n, t, i);
            int to = start(n, t, i + 1);
            futures.add(ex.submit(() -> body.run(from, to)));
        }
        RuntimeException failure = null;
        try {
            body.run(0, start(n, t, 1));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for image worker threads", e);
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

    static int start(int n, int parts, int i) {
        return (int) ((long) n * i / parts);
    }

    private static final String THREAD_PREFIX = "vnet-ops-worker-";

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Bands.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger id = new AtomicInteger();
                    p = Executors.newCachedThreadPool(r -> {
                        Thread th = new Thread(r, THREAD_PREFIX + id.incrementAndGet());
                        th.setDaemon(true);
                        return th;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
