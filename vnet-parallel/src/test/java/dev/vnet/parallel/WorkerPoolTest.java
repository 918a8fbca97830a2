package dev.vnet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void chunksAreContiguousAndDependOnlyOnSizeAndThreadCount() {
        try (WorkerPool pool = WorkerPool.of(3)) {
            ConcurrentMap<Integer, int[]> seen = new ConcurrentHashMap<>();
            pool.forRange(10, (chunk, from, to) -> seen.put(chunk, new int[] {from, to}));
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).containsExactly(0, 3);
            assertThat(seen.get(1)).containsExactly(3, 6);
            assertThat(seen.get(2)).containsExactly(6, 10);
            seen.clear();
            pool.forChunks(10, 2, (chunk, from, to) -> seen.put(chunk, new int[] {from, to}));
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1)).containsExactly(5, 10);
        }
    }

    @Test
    void fewerItemsThanThreadsGiveOneChunkPerItem() {
        try (WorkerPool pool = WorkerPool.of(4)) {
            assertThat(pool.chunks(2)).isEqualTo(2);
            assertThat(pool.chunks(0)).isEqualTo(1);
            int[] calls = new int[1];
            pool.forRange(0, (chunk, from, to) -> calls[0]++);
            assertThat(calls[0]).isZero();
        }
    }

    @Test
    void runMakesThePoolCurrentAndRestoresThePreviousOne() {
        WorkerPool before = WorkerPool.current();
        try (WorkerPool outer = WorkerPool.of(2); WorkerPool inner = WorkerPool.of(5)) {
            outer.run(() -> {
                assertThat(WorkerPool.current()).isSameAs(outer);
                assertThat(inner.call(WorkerPool::current)).isSameAs(inner);
                assertThat(WorkerPool.current()).isSameAs(outer);
            });
        }
        assertThat(WorkerPool.current()).isSameAs(before);
    }

    @Test
    void aLoopInsideAChunkRunsOnItsThreadInOneChunk() {
        try (WorkerPool pool = WorkerPool.of(2)) {
            ConcurrentMap<Integer, Integer> innerChunks = new ConcurrentHashMap<>();
            pool.forRange(2, (chunk, from, to) -> {
                if (chunk == 1) {
                    pool.forRange(100, (c, f, t) -> innerChunks.merge(c, t - f, Integer::sum));
                }
            });
            assertThat(innerChunks).containsExactly(Map.entry(0, 100));
        }
    }

    @Test
    void aFailingChunkFailsTheLoop() {
        try (WorkerPool pool = WorkerPool.of(3)) {
            assertThatThrownBy(() -> pool.forRange(9, (chunk, from, to) -> {
                if (chunk == 2) {
                    throw new IllegalStateException("chunk 2 failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 2 failed");
        }
    }

    @Test
    void aThreadCountBelowOneIsRejected() {
        assertThatThrownBy(() -> WorkerPool.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, got 0");
    }
}
