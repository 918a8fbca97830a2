package dev.vnet.io.data;

import dev.vnet.io.AtomicFiles;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Pnm;
import dev.vnet.ops.preprocess.PreparedSample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps prepared samples (preprocessed image and mask) so that later epochs do not decode and
 * preprocess the large originals again. Keyed by {@link Sample#name()}: one cache serves one data
 * set with one preprocessing; use a new cache (or a new folder) when either changes.
 *
 * <p>Safe to use from several loader threads.
 */
public abstract class SampleCache {
    /** Computes a prepared sample on a miss. */
    @FunctionalInterface
    public interface Loader {
        /**
         * {@return the prepared sample}
         *
         * @throws IOException if a file cannot be read or written
         */
        PreparedSample load() throws IOException;
    }

    SampleCache() {}

    /**
     * {@return the cached prepared sample of {@code sample}, computing and storing it with {@code loader} on a miss}
     *
     * @param sample the sample
     * @param loader prepares the sample on a miss
     * @throws IOException if a file cannot be read or written
     */
    public abstract PreparedSample get(Sample sample, Loader loader) throws IOException;

    /**
     * No caching: every call computes.
     *
     * @return a cache that keeps nothing
     */
    public static SampleCache none() {
        return new SampleCache() {
            @Override
            public PreparedSample get(Sample sample, Loader loader) throws IOException {
                return loader.load();
            }
        };
    }

    /**
     * Keeps prepared samples in memory up to {@code maxBytes} (images and masks together),
     * dropping the least recently used ones beyond that.
     *
     * @param maxBytes the memory budget in bytes
     * @return the cache
     */
    public static SampleCache inMemory(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("memory cache size must be 0 or more bytes, got " + maxBytes);
        }
        return new Memory(maxBytes);
    }

    /**
     * Keeps prepared samples as PGM/PPM files under {@code dir} (created when needed), for example
     * in the run folder: {@code <name>.image.pgm|ppm} and {@code <name>.mask.pgm}. Files are written
     * to a temporary name first and renamed, so an interrupted run never leaves a half-written entry.
     *
     * @param dir the cache folder
     * @return the cache
     */
    public static SampleCache onDisk(Path dir) {
        return new Disk(dir);
    }

    private static final class Memory extends SampleCache {
        private final long maxBytes;
        private final LinkedHashMap<String, PreparedSample> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long bytes;

        Memory(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public PreparedSample get(Sample sample, Loader loader) throws IOException {
            synchronized (this) {
                PreparedSample hit = entries.get(sample.name());
                if (hit != null) {
                    return hit;
                }
            }
            // Computed outside the lock so that other threads keep loading meanwhile.
            PreparedSample value = loader.load();
            synchronized (this) {
                if (value.byteSize() <= maxBytes && !entries.containsKey(sample.name())) {
                    entries.put(sample.name(), value);
                    bytes += value.byteSize();
                    Iterator<Map.Entry<String, PreparedSample>> it = entries.entrySet().iterator();
                    while (bytes > maxBytes && it.hasNext()) {
                        bytes -= it.next().getValue().byteSize();
                        it.remove();
                    }
                }
            }
            return value;
        }
    }

    private static final class Disk extends SampleCache {
        private final Path dir;

        Disk(Path dir) {
            this.dir = dir;
        }

        @Override
        public PreparedSample get(Sample sample, Loader loader) throws IOException {
            String key = safeName(sample.name());
            Path mask = dir.resolve(key + ".mask.pgm");
            Path gray = dir.resolve(key + ".image.pgm");
            Path rgb = dir.resolve(key + ".image.ppm");
            if (Files.isRegularFile(mask) && (Files.isRegularFile(gray) || Files.isRegularFile(rgb))) {
                try {
                    Image8 image = readPnm(Files.isRegularFile(gray) ? gray : rgb);
                    return new PreparedSample(image, readPnm(mask));
                } catch (IOException | IllegalArgumentException e) {
                    // A damaged entry is recomputed rather than trusted.
                }
            }
            PreparedSample value = loader.load();
            Files.createDirectories(dir);
            AtomicFiles.write(value.image().channels() == 1 ? gray : rgb, Pnm.encode(value.image()));
            AtomicFiles.write(mask, Pnm.encode(value.mask()));
            return value;
        }

        private static Image8 readPnm(Path file) throws IOException {
            return Pnm.read(new ByteArrayInputStream(Files.readAllBytes(file)));
        }

        private static String safeName(String name) {
            StringBuilder sb = new StringBuilder(name.length());
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                sb.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' ? c : '_');
            }
            return sb.toString();
        }
    }
}
