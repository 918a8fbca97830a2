package dev.vnet.io.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.ops.Image8;
import dev.vnet.ops.preprocess.PreparedSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCacheTest {
    private static Sample sample(String name) {
        return Sample.ofImage(name, new Image8(8, 8, 3), List.of(), false);
    }

    private static PreparedSample prepared(int channels, int value) {
        Image8 img = new Image8(8, 8, channels);
        java.util.Arrays.fill(img.data(), (byte) value);
        Image8 mask = new Image8(8, 8, 1);
        mask.set(3, 4, 0, 255);
        return new PreparedSample(img, mask);
    }

    @Test
    void memoryCacheKeepsEntriesWithinItsCap() throws IOException {
        // Each entry is 8*8*3 + 8*8 = 256 bytes; the cap holds two.
        SampleCache cache = SampleCache.inMemory(512);
        AtomicInteger loads = new AtomicInteger();
        SampleCache.Loader loader = () -> {
            loads.incrementAndGet();
            return prepared(3, 7);
        };
        cache.get(sample("a"), loader);
        cache.get(sample("b"), loader);
        cache.get(sample("a"), loader);
        assertThat(loads.get()).isEqualTo(2);
        cache.get(sample("c"), loader); // evicts b, the least recently used
        cache.get(sample("a"), loader);
        assertThat(loads.get()).isEqualTo(3);
        cache.get(sample("b"), loader);
        assertThat(loads.get()).isEqualTo(4);
    }

    @Test
    void diskCacheRoundTripsGrayAndRgbAndSurvivesANewCacheObject(@TempDir Path dir) throws IOException {
        AtomicInteger loads = new AtomicInteger();
        PreparedSample gray = prepared(1, 9);
        PreparedSample rgb = prepared(3, 200);
        SampleCache.onDisk(dir).get(sample("Im001_1"), () -> {
            loads.incrementAndGet();
            return gray;
        });
        SampleCache.onDisk(dir).get(sample("Im002_0"), () -> {
            loads.incrementAndGet();
            return rgb;
        });
        SampleCache fresh = SampleCache.onDisk(dir);
        PreparedSample g = fresh.get(sample("Im001_1"), () -> {
            throw new AssertionError("should come from disk");
        });
        PreparedSample c = fresh.get(sample("Im002_0"), () -> {
            throw new AssertionError("should come from disk");
        });
        assertThat(loads.get()).isEqualTo(2);
        assertThat(g.image().sameAs(gray.image())).isTrue();
        assertThat(g.mask().sameAs(gray.mask())).isTrue();
        assertThat(c.image().sameAs(rgb.image())).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
                    "Im001_1.image.pgm", "Im001_1.mask.pgm", "Im002_0.image.ppm", "Im002_0.mask.pgm");
        }
    }

    @Test
    void damagedDiskEntryIsRecomputed(@TempDir Path dir) throws IOException {
        SampleCache cache = SampleCache.onDisk(dir);
        cache.get(sample("x"), () -> prepared(1, 1));
        Files.write(dir.resolve("x.mask.pgm"), new byte[] {'P', '5'});
        AtomicInteger loads = new AtomicInteger();
        PreparedSample p = cache.get(sample("x"), () -> {
            loads.incrementAndGet();
            return prepared(1, 1);
        });
        assertThat(loads.get()).isEqualTo(1);
        assertThat(p.mask().get(3, 4, 0)).isEqualTo(255);
    }
}
