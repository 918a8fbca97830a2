package dev.vnet.io.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.data.BatchLoader.Batch;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.ops.preprocess.PreparedSample;
import dev.vnet.ops.preprocess.Preprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
    /**
     * Sample i is a 6x4 RGB image filled with the value i and one blast centre at (i % 6, i % 4);
     * the preprocessor keeps the image and marks the centre pixel in the mask, sleeping a random
     * moment so that threads finish out of order.
     */
    private static List<Sample> samples(int n) {
        List<Sample> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Image8 img = new Image8(6, 4, 3);
            java.util.Arrays.fill(img.data(), (byte) i);
            list.add(Sample.ofImage("s" + i, img, List.of(new Point(i % 6, i % 4)), i % 2 == 0));
        }
        return list;
    }

    private static final Preprocessor MARK_CENTRES = (image, centres) -> {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Image8 mask = new Image8(image.width(), image.height(), 1);
        for (Point p : centres) {
            mask.set(p.x(), p.y(), 0, 255);
        }
        return new PreparedSample(image, mask);
    };

    private static List<String> names(Iterator<Batch> epoch, List<float[]> contents) {
        List<String> names = new ArrayList<>();
        while (epoch.hasNext()) {
            Batch b = epoch.next();
            b.samples().forEach(s -> names.add(s.name()));
            if (contents != null) {
                contents.add(b.images().data().clone());
                contents.add(b.masks().data().clone());
            }
        }
        return names;
    }

    @Test
    void everySampleOnceAsTensorsWithTheDocumentedLayout() {
        try (BatchLoader loader = BatchLoader.builder(samples(10), MARK_CENTRES).batchSize(4).seed(3).build()) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            Iterator<Batch> it = loader.epoch(0);
            List<String> names = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (it.hasNext()) {
                Batch b = it.next();
                int n = b.samples().size();
                sizes.add(n);
                assertThat(b.images().shape()).containsExactly(n, 3, 4, 6);
                assertThat(b.masks().shape()).containsExactly(n, 1, 4, 6);
                for (int k = 0; k < n; k++) {
                    int i = Integer.parseInt(b.samples().get(k).name().substring(1));
                    names.add(b.samples().get(k).name());
                    // images: value i / 255 everywhere in the sample's 3 planes
                    assertThat(b.images().data()[k * 72]).isEqualTo(i / 255f);
                    assertThat(b.images().data()[k * 72 + 71]).isEqualTo(i / 255f);
                    // masks: 1 exactly at the centre
                    float[] m = b.masks().data();
                    for (int p = 0; p < 24; p++) {
                        assertThat(m[k * 24 + p]).isEqualTo(p == (i % 4) * 6 + i % 6 ? 1f : 0f);
                    }
                }
            }
            assertThat(sizes).containsExactly(4, 4, 2);
            assertThat(names).containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        }
    }

    @Test
    void orderIsFixedBySeedAndEpochWhateverTheThreads() {
        List<Sample> data = samples(13);
        List<float[]> serial = new ArrayList<>();
        List<float[]> threaded = new ArrayList<>();
        List<String> a;
        List<String> b;
        List<String> otherEpoch;
        try (BatchLoader one = BatchLoader.builder(data, MARK_CENTRES).batchSize(3).seed(5).threads(0)
                .augment(Augment.STANDARD).build();
             BatchLoader many = BatchLoader.builder(data, MARK_CENTRES).batchSize(3).seed(5).threads(3).prefetch(3)
                .augment(Augment.STANDARD).build()) {
            a = names(one.epoch(1), serial);
            b = names(many.epoch(1), threaded);
            otherEpoch = names(many.epoch(2), null);
        }
        assertThat(b).isEqualTo(a);
        assertThat(threaded).hasSameSizeAs(serial);
        for (int i = 0; i < serial.size(); i++) {
            assertThat(threaded.get(i)).isEqualTo(serial.get(i));
        }
        assertThat(otherEpoch).isNotEqualTo(a).containsExactlyInAnyOrderElementsOf(a);
        try (BatchLoader other = BatchLoader.builder(data, MARK_CENTRES).batchSize(3).seed(6).build()) {
            assertThat(names(other.epoch(1), null)).isNotEqualTo(a);
        }
    }

    @Test
    void unshuffledLoaderKeepsTheOrderAndDropLastDropsTheRemainder() {
        try (BatchLoader loader = BatchLoader.builder(samples(5), MARK_CENTRES).batchSize(2).shuffle(false)
                .dropLast(true).build()) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(2);
            assertThat(names(loader.epoch(0), null)).containsExactly("s0", "s1", "s2", "s3");
        }
    }

    @Test
    void aFailingSampleIsNamed() {
        List<Sample> data = new ArrayList<>(samples(6));
        data.add(Sample.ofFile("Im042_1", Path.of("/nonexistent/Im042_1.jpg"), List.of(), true));
        try (BatchLoader loader = BatchLoader.builder(data, MARK_CENTRES).batchSize(2).seed(1).build()) {
            Iterator<Batch> it = loader.epoch(0);
            assertThatThrownBy(() -> {
                while (it.hasNext()) {
                    it.next();
                }
            }).isInstanceOf(BatchLoader.SampleException.class)
                    .hasMessageContaining("Im042_1")
                    .hasMessageContaining("/nonexistent/Im042_1.jpg")
                    .hasRootCauseInstanceOf(IOException.class);
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void closeStopsTheThreads() throws InterruptedException {
        BatchLoader loader = BatchLoader.builder(samples(40), MARK_CENTRES).batchSize(2).threads(2).build();
        Iterator<Batch> it = loader.epoch(0);
        it.next();
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vnet-loader-") && t.isAlive()).toList();
        assertThat(threads).isNotEmpty();
        loader.close();
        loader.close();
        // A pool's worker leaves its loop before its thread ends: allow the threads a moment to finish after close.
        for (Thread t : threads) {
            t.join(5000);
        }
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> loader.epoch(1)).hasMessageContaining("closed");
    }

    @Test
    void loadsAWrittenSyntheticDataSetThroughTheAllIdb1Reader(@TempDir Path dir) throws IOException {
        SmearConfig config = SmearConfig.defaults().withImageCount(3).withSize(128, 96).withAllFraction(1).withSeed(2);
        SyntheticDataset.write(dir.resolve("data"), config);
        List<Sample> data = AllIdb1Dataset.scan(dir.resolve("data")).requireClean().stream().map(Sample::of).toList();
        int centres = data.stream().mapToInt(s -> s.centres().size()).sum();
        try (BatchLoader loader = BatchLoader.builder(data, MARK_CENTRES).batchSize(3)
                .cache(SampleCache.onDisk(dir.resolve("cache"))).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                Batch b = loader.epoch(epoch).next();
                assertThat(b.images().shape()).containsExactly(3, 3, 96, 128);
                float sum = 0;
                for (float v : b.masks().data()) {
                    sum += v;
                }
                assertThat(sum).isEqualTo(centres);
            }
        }
        try (var files = java.nio.file.Files.list(dir.resolve("cache"))) {
            assertThat(files.count()).isEqualTo(6);
        }
    }

    @Test
    void cacheServesLaterEpochsWithoutPreprocessingAgain() {
        AtomicInteger calls = new AtomicInteger();
        Preprocessor counting = (image, centres) -> {
            calls.incrementAndGet();
            return MARK_CENTRES.prepare(image, centres);
        };
        try (BatchLoader loader = BatchLoader.builder(samples(7), counting).batchSize(3)
                .cache(SampleCache.inMemory(1 << 20)).build()) {
            names(loader.epoch(0), null);
            names(loader.epoch(1), null);
        }
        assertThat(calls.get()).isEqualTo(7);
    }

    @Test
    void aHugeBatchSizeGivesOneBatchOfEverySampleAndThreadsAreBounded() {
        // (prefetch + 1) × 10^9 overflows an int: no sample was submitted and next() failed on a null future.
        try (BatchLoader loader = BatchLoader.builder(samples(5), MARK_CENTRES).batchSize(1_000_000_000).threads(2)
                .shuffle(false).build()) {
            assertThat(names(loader.epoch(0), null)).containsExactly("s0", "s1", "s2", "s3", "s4");
        }
        int max = 4 * Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> BatchLoader.builder(samples(1), MARK_CENTRES).threads(max + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("loader threads must be 1 to " + max);
    }
}
