package dev.vnet.parallel;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One daemon thread that runs tasks in the order they were submitted, beside the calling thread: work that the caller
 * needs later (the next batch) or never waits for until the end (metrics), kept off its critical path. A task's
 * parallel loops run on this thread alone (a {@link WorkerPool} of one), so they do not compete with the workers of
 * the caller's pool; as every task runs on one thread in order, its results do not depend on timing.
 */
public final class BackgroundThread implements AutoCloseable {
    private static final WorkerPool ALONE = WorkerPool.of(1);
    private final String name;
    private ExecutorService executor;

    /**
     * A thread named {@code name}, started by the first task.
     *
     * @param name the thread's name
     */
    public BackgroundThread(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * {@return the task's future result} The task runs after every task submitted before it.
     *
     * @param task the task
     * @param <T>  its result type
     */
    public synchronized <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return executor.submit(() -> ALONE.call(() -> {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /**
     * {@return the result of a task, once it is done} Its failure is thrown here, as if it had run on this thread.
     *
     * @param result the task's future
     * @param what   what the task does, for the message of a failure that is not a runtime exception
     * @param <T>    its result type
     */
    public static <T> T await(Future<T> result, String what) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** Stops the thread; tasks not yet run are dropped. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
