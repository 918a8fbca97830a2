package dev.vnet.core.kernels;

import dev.vnet.parallel.WorkerPool;

/**
 * The default thread count of the engine's parallel loops, which run on {@link WorkerPool#current()}.
 * A program that wants a thread count per computation runs it inside {@link WorkerPool#run} instead.
 */
public final class Parallel {

    private Parallel() {}

    /** {@return the number of threads the parallel loops on this thread use now} */
    public static int threads() {
        return WorkerPool.current().threads();
    }

    /**
     * Sets the thread count of the process-wide default pool (1 = everything on the calling thread); see
     * {@link WorkerPool#setDefaultThreads}.
     *
     * @param n the thread count, at least 1
     */
    public static void setThreads(int n) {
        WorkerPool.setDefaultThreads(n);
    }
}
