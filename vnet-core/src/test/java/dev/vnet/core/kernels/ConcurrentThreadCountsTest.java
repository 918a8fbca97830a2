package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Rng;
import dev.vnet.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two computations with their own thread counts, run side by side on two threads, give the same bytes as each
 * run alone: a thread count belongs to its {@link WorkerPool}, not to the process.
 */
class ConcurrentThreadCountsTest {

    private final ConvKernels kernels = GemmConvKernels.instance();

    /** One geometry per plan: shifted, folded, offsets (few outputs), im2col at stride 2. */
    private static final List<ConvGeometry> GEOMETRIES = List.of(
            new ConvGeometry(3, 16, 12, 60, 16, 5, 5, 1, 1, 2, 2),
            new ConvGeometry(3, 16, 20, 30, 5, 5, 5, 1, 1, 2, 2),
            new ConvGeometry(2, 8, 30, 60, 2, 5, 5, 1, 1, 2, 2),
            new ConvGeometry(3, 8, 30, 30, 16, 2, 2, 2, 2, 0, 0));

    /** Forward, input gradient and weight gradient of every geometry, one after the other. */
    private List<float[]> forwardAndBackward() {
        List<float[]> out = new ArrayList<>();
        Rng rng = new Rng(17);
        for (ConvGeometry g : GEOMETRIES) {
            float[] x = GemmConvKernelsTest.random(rng, g.inputSize());
            float[] w = GemmConvKernelsTest.random(rng, g.weightSize());
            float[] dy = GemmConvKernelsTest.random(rng, g.outputSize());
            float[] y = new float[g.outputSize()];
            float[] dx = new float[g.inputSize()];
            float[] dw = new float[g.weightSize()];
            kernels.forward(g, x, w, null, y);
            kernels.backwardInput(g, dy, w, dx);
            kernels.backwardWeight(g, x, dy, dw, null);
            out.add(y);
            out.add(dx);
            out.add(dw);
        }
        return out;
    }

    @Test
    void twoThreadCountsSideBySideGiveTheirSequentialBytes() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (WorkerPool two = WorkerPool.of(2); WorkerPool three = WorkerPool.of(3)) {
            List<float[]> alone2 = two.call(this::forwardAndBackward);
            List<float[]> alone3 = three.call(this::forwardAndBackward);
            CyclicBarrier start = new CyclicBarrier(2);
            for (int round = 0; round < 2; round++) {
                Future<List<float[]>> side2 = callers.submit(() -> two.call(() -> {
                    await(start);
                    return forwardAndBackward();
                }));
                Future<List<float[]>> side3 = callers.submit(() -> three.call(() -> {
                    await(start);
                    return forwardAndBackward();
                }));
                assertSame(side2.get(), alone2, "2 threads, round " + round);
                assertSame(side3.get(), alone3, "3 threads, round " + round);
                start.reset();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aScopedPoolLeavesTheDefaultAlone() {
        int before = WorkerPool.current().threads();
        int inside = WorkerPool.of(before + 1).call(Parallel::threads);
        assertThat(inside).isEqualTo(before + 1);
        assertThat(Parallel.threads()).isEqualTo(before);
    }

    private static void assertSame(List<float[]> actual, List<float[]> expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("%s, result %d", what, i).containsExactly(expected.get(i));
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException("the two computations did not start together", e);
        }
    }
}
