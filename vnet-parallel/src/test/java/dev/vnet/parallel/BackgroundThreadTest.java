package dev.vnet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class BackgroundThreadTest {

    @Test
    void tasksRunInTheirOrderOnOneThreadWithLoopsOfOneThread() {
        List<Integer> order = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        List<Future<Integer>> results = new ArrayList<>();
        try (BackgroundThread t = new BackgroundThread("test-background")) {
            for (int i = 0; i < 50; i++) {
                int k = i;
                results.add(t.submit(() -> {
                    order.add(k);
                    threads.add(Thread.currentThread().getName() + "/" + WorkerPool.current().threads());
                    return k * k;
                }));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(BackgroundThread.await(results.get(i), "squaring")).isEqualTo(i * i);
            }
        }
        assertThat(order).isSortedAccordingTo(Integer::compare).hasSize(50);
        assertThat(threads).containsOnly("test-background/1");
    }

    @Test
    void aFailureIsThrownToTheCallerThatWaits() {
        try (BackgroundThread t = new BackgroundThread("test-background")) {
            Future<Object> f = t.submit(() -> {
                throw new IllegalArgumentException("bad patch 7");
            });
            assertThatThrownBy(() -> BackgroundThread.await(f, "cutting")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad patch 7");
            Future<Object> checked = t.submit(() -> {
                throw new java.io.IOException("disk gone");
            });
            assertThatThrownBy(() -> BackgroundThread.await(checked, "writing")).hasMessageContaining("disk gone");
        }
    }
}
