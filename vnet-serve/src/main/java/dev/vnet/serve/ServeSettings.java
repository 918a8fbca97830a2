package dev.vnet.serve;

import dev.vnet.io.ImageFiles;
import java.time.Duration;

/**
 * The limits and address of a {@link BlastServer}. Every limit is on by default; {@link #defaults()} is what
 * {@code vnet serve} starts with.
 *
 * @param host           the address to bind to ({@code 127.0.0.1}: this machine only)
 * @param port           the TCP port, 0 for any free one
 * @param maxUploadBytes the largest upload accepted, in bytes (a larger one is answered 413 before it is read)
 * @param maxPixels      the most pixels (width × height) an upload's header may declare; checked before decoding
 * @param workers        images analysed at once (each uses every engine thread: 1 keeps the CPU for one image)
 * @param queueCapacity  images that may wait for a worker; one more is answered 429 with {@code Retry-After}
 * @param requestTimeout the longest an upload may wait and be analysed before it is answered 503
 * @param resultTtl      how long a result stays available for its downloads
 * @param maxResults     the most results kept; the oldest goes first
 * @param threads        engine threads for inference, or 0 for the library's default (the processor count)
 */
public record ServeSettings(String host, int port, long maxUploadBytes, long maxPixels, int workers, int queueCapacity,
                            Duration requestTimeout, Duration resultTtl, int maxResults, int threads) {

    /** The default upload limit: 32 MiB, six times an ALL-IDB1 JPEG, enough for a 2592×1944 PNG. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 32L << 20;

    /** The default pixel limit: 25 megapixels, five times a 2592×1944 photograph. */
    public static final long DEFAULT_MAX_PIXELS = 25_000_000L;

    /**
     * Checks the values.
     *
     * @param host           the address to bind to
     * @param port           the TCP port, 0 for any free one
     * @param maxUploadBytes the largest upload, in bytes
     * @param maxPixels      the most pixels an upload may declare
     * @param workers        images analysed at once
     * @param queueCapacity  images that may wait
     * @param requestTimeout the per-request time limit
     * @param resultTtl      how long a result is kept
     * @param maxResults     the most results kept
     * @param threads        engine threads, 0 for the default
     * @throws IllegalArgumentException naming the setting, its value and the range expected
     */
    public ServeSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be an address or a name, got '" + host + "'");
        }
        range("port", port, 0, 65535);
        range("maxUploadBytes", maxUploadBytes, 1, Integer.MAX_VALUE - 8);
        range("maxPixels", maxPixels, 1, ImageFiles.DEFAULT_MAX_PIXELS);
        range("workers", workers, 1, 64);
        range("queueCapacity", queueCapacity, 1, 10_000);
        range("maxResults", maxResults, 1, 100_000);
        range("threads", threads, 0, 1024);
        positive("requestTimeout", requestTimeout);
        positive("resultTtl", resultTtl);
    }

    /** {@return the defaults: localhost:8080, 32 MiB, 25 megapixels, 1 worker, 8 waiting, 60 s, 15 min, 32 results} */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", 8080, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_PIXELS, 1, 8,
                Duration.ofSeconds(60), Duration.ofMinutes(15), 32, 0);
    }

    /**
     * {@return these settings on another address}
     *
     * @param host the address to bind to
     * @param port the port, 0 for any free one
     */
    public ServeSettings withAddress(String host, int port) {
        return new ServeSettings(host, port, maxUploadBytes, maxPixels, workers, queueCapacity, requestTimeout,
                resultTtl, maxResults, threads);
    }

    /**
     * {@return these settings with other upload limits}
     *
     * @param bytes  the largest upload, in bytes
     * @param pixels the most pixels an upload may declare
     */
    public ServeSettings withUploadLimits(long bytes, long pixels) {
        return new ServeSettings(host, port, bytes, pixels, workers, queueCapacity, requestTimeout, resultTtl,
                maxResults, threads);
    }

    /**
     * {@return these settings with another work queue and time limit}
     *
     * @param workers        images analysed at once
     * @param queueCapacity  images that may wait
     * @param requestTimeout the per-request time limit
     */
    public ServeSettings withQueue(int workers, int queueCapacity, Duration requestTimeout) {
        return new ServeSettings(host, port, maxUploadBytes, maxPixels, workers, queueCapacity, requestTimeout,
                resultTtl, maxResults, threads);
    }

    /**
     * {@return these settings with another result store}
     *
     * @param ttl   how long a result is kept
     * @param count the most results kept
     */
    public ServeSettings withResults(Duration ttl, int count) {
        return new ServeSettings(host, port, maxUploadBytes, maxPixels, workers, queueCapacity, requestTimeout, ttl,
                count, threads);
    }

    /**
     * {@return these settings with another engine thread count}
     *
     * @param count engine threads, 0 for the default
     */
    public ServeSettings withThreads(int count) {
        return new ServeSettings(host, port, maxUploadBytes, maxPixels, workers, queueCapacity, requestTimeout,
                resultTtl, maxResults, count);
    }

    private static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
