package dev.vnet.serve;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.vnet.io.ImageFiles;
import dev.vnet.parallel.WorkerPool;
import dev.vnet.train.SegmentationFiles;
import dev.vnet.train.Segmenter;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import org.eclipse.jetty.server.handler.GracefulHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code vnet serve}: a web page that shows the blasts of dropped photographs, and the JSON API under it, on an
 * embedded Javalin (Jetty) server. Uploads are checked by size, then by the pixels their header declares, then by
 * decoding; the work waits in a bounded queue (one more is answered 429 with {@code Retry-After}); each request has
 * a time limit; results are kept in memory for a bounded time and count; uploads live only in a temporary folder the
 * server owns and deletes. {@code docs/server.md} describes the API; {@code openapi.json} beside this class is its
 * OpenAPI description, served at {@code /api/v1/openapi.json}.
 *
 * <pre>{@code
 * try (BlastServer server = BlastServer.start(Path.of("run/checkpoints/best.safetensors"), ServeSettings.defaults())) {
 *     System.out.println("open " + server.url());
 *     server.awaitStop();
 * }
 * }</pre>
 */
public final class BlastServer implements AutoCloseable {
    /** A route of the server: an HTTP method and a path, with {@code {id}} for a result's id. */
    record Route(String method, String path) {}

    /** Every route the server answers, in the order {@code openapi.json} lists them. */
    static final List<Route> ROUTES = List.of(
            new Route("get", "/"),
            new Route("get", "/app.js"),
            new Route("get", "/app.css"),
            new Route("get", "/health"),
            new Route("get", "/api/v1/openapi.json"),
            new Route("get", "/api/v1/model"),
            new Route("post", "/api/v1/segment"),
            new Route("get", "/api/v1/segment/{id}"),
            new Route("get", "/api/v1/segment/{id}/mask.png"),
            new Route("get", "/api/v1/segment/{id}/overlay.png"),
            new Route("get", "/api/v1/segment/{id}/heatmap.png"),
            new Route("get", "/api/v1/segment/{id}/cells.csv"),
            new Route("get", "/api/v1/segment/{id}/cells.geojson"),
            new Route("get", "/api/v1/segment/{id}/centres.xyc"));

    /** The page's Content-Security-Policy: its own scripts and styles only, no inline script, no other origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // A multipart body carries the file and its headers and boundaries: a few hundred bytes; 64 KiB is generous.
    private static final long MULTIPART_OVERHEAD = 64 << 10;
    private static final String RESOURCES = "/dev/vnet/serve/";
    private static final Gson GSON = new Gson();

    private final SmearAnalyser analyser;
    private final ServeSettings settings;
    private final Path temp;
    private final ThreadPoolExecutor workers;
    private final WorkerPool pool;
    private final ResultCache<Analysis> results;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger running = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Javalin app;
    private volatile boolean stopping;
    // An exponential average of how long an image takes, for Retry-After.
    private volatile double secondsPerImage = 1;

    private BlastServer(SmearAnalyser analyser, ServeSettings settings) throws IOException {
        this.analyser = analyser;
        this.settings = settings;
        this.temp = Files.createTempDirectory("vnet-serve-");
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                    Thread t = new Thread(r, "vnet-serve-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.pool = settings.threads() == 0 ? WorkerPool.defaultPool() : WorkerPool.of(settings.threads());
        this.results = new ResultCache<>(settings.resultTtl(), settings.maxResults(), Clock.systemUTC());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = settings.host();
            cfg.jetty.port = settings.port();
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = settings.maxUploadBytes();
            // Jetty's graceful stop: the listener closes, and stop() waits for the answers being written.
            cfg.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(settings.requestTimeout().toMillis() + 5000);
            });
            cfg.jetty.multipartConfig.cacheDirectory(temp.toString());
            cfg.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            cfg.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + MULTIPART_OVERHEAD, SizeUnit.BYTES);
            cfg.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CSP);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Cache-Control", "no-store");
            });
            for (Route r : ROUTES) {
                if (r.method().equals("post")) {
                    cfg.routes.post(r.path(), handler(r));
                } else {
                    cfg.routes.get(r.path(), handler(r));
                }
            }
            cfg.routes.exception(ApiError.class, (e, ctx) -> {
                if (e.retryAfterSeconds > 0) {
                    ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
                }
                if (e.status != 413) {
                    // A request refused before its body was read (a wrong Content-Type, a stopping server): a
                    // client still sending it would otherwise see the connection reset instead of the answer.
                    discard(ctx, settings.maxUploadBytes());
                }
                error(ctx, e.status, e.getMessage());
            });
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                    e.getStatus() == 405 ? ctx.method() + " is not allowed on " + ctx.path() + "; see /api/v1/openapi.json"
                            : e.getStatus() == 404 ? "nothing at " + ctx.path() + "; see /api/v1/openapi.json"
                            : e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "the server failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        });
    }

    /**
     * Loads a checkpoint and starts serving it.
     *
     * @param checkpoint a {@code .safetensors} checkpoint written by the trainer
     * @param settings   the address and the limits
     * @return the running server
     * @throws IOException if the checkpoint cannot be read or the temporary folder cannot be made
     */
    public static BlastServer start(Path checkpoint, ServeSettings settings) throws IOException {
        return start(checkpoint, null, settings);
    }

    /**
     * Loads a point detector's checkpoint and a cell classifier as its second stage, as {@code vnet segment
     * --classifier} runs them, and starts serving them: cells, candidates and the image score are then blast
     * probabilities.
     *
     * @param checkpoint a point detector's {@code .safetensors} checkpoint written by the trainer
     * @param classifier a checkpoint written by {@code vnet classify train}, or null for the detector alone
     * @param settings   the address and the limits
     * @return the running server
     * @throws IOException if a checkpoint cannot be read, the classifier comes with a mask model, or the temporary
     *                     folder cannot be made
     */
    public static BlastServer start(Path checkpoint, Path classifier, ServeSettings settings) throws IOException {
        BlastServer s = new BlastServer(SmearAnalyser.load(checkpoint, classifier), settings);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.deleteTemp();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return s;
    }

    /** {@return the port the server listens on} */
    public int port() {
        return app.port();
    }

    /** {@return the page's address, e.g. {@code http://127.0.0.1:8080/}} */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port() + "/";
    }

    /** {@return the model's id, as the API reports it} */
    public String modelId() {
        return analyser.modelId();
    }

    /**
     * Blocks until {@link #close} has stopped the server.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops cleanly: new images and those waiting in the queue are refused (503), the ones under way are finished and
     * answered (within the per-request time limit), then the listener closes and the temporary folder is deleted.
     * Safe to call twice and from a shutdown hook.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            // The images waiting are refused (their requests answer 503); the one under way is finished.
            List<Runnable> waiting = new ArrayList<>();
            workers.getQueue().drainTo(waiting);
            for (Runnable r : waiting) {
                ((Future<?>) r).cancel(false);
            }
            workers.shutdown();
            workers.awaitTermination(settings.requestTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            app.stop();
            if (settings.threads() != 0) {
                pool.close();
            }
            deleteTemp();
            stopped.countDown();
        }
    }

    private Handler handler(Route r) {
        return switch (r.path()) {
            case "/" -> ctx -> resource(ctx, "web/index.html", "text/html; charset=utf-8");
            case "/app.js" -> ctx -> resource(ctx, "web/app.js", "text/javascript; charset=utf-8");
            case "/app.css" -> ctx -> resource(ctx, "web/app.css", "text/css; charset=utf-8");
            case "/api/v1/openapi.json" -> ctx -> resource(ctx, "openapi.json", "application/json");
            case "/health" -> this::health;
            case "/api/v1/model" -> ctx -> json(ctx, 200, analyser.describe());
            case "/api/v1/segment" -> this::segment;
            case "/api/v1/segment/{id}" -> ctx -> json(ctx, 200, toJson(result(ctx), 0));
            case "/api/v1/segment/{id}/mask.png" -> ctx -> download(ctx, "image/png", Segmenter.Outputs::mask,
                    a -> Analysis.png(resultAt(a, threshold(ctx)).mask()));
            case "/api/v1/segment/{id}/overlay.png" -> ctx -> download(ctx, "image/png", Segmenter.Outputs::overlay,
                    a -> Analysis.png(SegmentationFiles.overlay(a.image(), resultAt(a, threshold(ctx)),
                            analyser.markerRadius())));
            case "/api/v1/segment/{id}/heatmap.png" -> ctx -> download(ctx, "image/png",
                    o -> Path.of(o.mask().getFileName().toString().replace("_mask.png", "_heatmap.png")),
                    Analysis::heatmapPng);
            case "/api/v1/segment/{id}/cells.csv" -> ctx -> download(ctx, "text/csv; charset=utf-8",
                    Segmenter.Outputs::cells, a -> utf8(SegmentationFiles.cellsCsv(a.cellsAt(threshold(ctx)))));
            case "/api/v1/segment/{id}/cells.geojson" -> ctx -> download(ctx, "application/geo+json",
                    Segmenter.Outputs::geojson, a -> utf8(SegmentationFiles.geoJson(a.cellsAt(threshold(ctx)))));
            case "/api/v1/segment/{id}/centres.xyc" -> ctx -> download(ctx, "text/plain; charset=us-ascii",
                    Segmenter.Outputs::xyc, a -> Analysis.xyc(resultAt(a, threshold(ctx))));
            default -> throw new IllegalStateException("route without a handler: " + r);
        };
    }

    private void health(Context ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("status", stopping ? "stopping" : "ok");
        o.addProperty("model", analyser.modelId());
        o.addProperty("running", running.get());
        o.addProperty("queued", workers.getQueue().size());
        o.addProperty("queueCapacity", settings.queueCapacity());
        o.addProperty("results", results.size());
        json(ctx, 200, o);
    }

    private void segment(Context ctx) throws IOException, InterruptedException {
        long start = System.nanoTime();
        if (stopping) {
            throw new ApiError(503, "the server is stopping; it takes no new images");
        }
        long limit = settings.maxUploadBytes();
        boolean multipart = ctx.isMultipart();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit + (multipart ? MULTIPART_OVERHEAD : 0)) {
            throw tooLarge(declared);
        }
        Path upload = Files.createTempFile(temp, "upload-", ".bin");
        try {
            String name;
            if (multipart) {
                List<UploadedFile> files;
                try {
                    files = ctx.uploadedFiles();
                } catch (Exception e) {
                    // Jetty stops reading a part at the file size limit and reports a bad multipart body.
                    throw new ApiError(declared > limit || declared < 0 ? 413 : 400, "the multipart body cannot be read"
                            + " (at most " + limit + " bytes per file): " + Objects.toString(e.getMessage(), "")
                            .replaceFirst("^[\\w.]+Exception: ", ""));
                }
                if (files.size() != 1) {
                    throw new ApiError(400, "a multipart upload must hold exactly one file (field \"image\"), got "
                            + files.size());
                }
                UploadedFile f = files.get(0);
                name = f.filename();
                try (InputStream in = f.content()) {
                    copyAtMost(in, upload, limit);
                }
            } else {
                String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
                if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")) {
                    throw new ApiError(415, "the body must be an image (Content-Type image/jpeg, image/png, "
                            + "image/tiff, image/bmp or application/octet-stream) or multipart/form-data, got '"
                            + (type.isEmpty() ? "no Content-Type" : type) + "'");
                }
                name = ctx.queryParam("name");
                copyAtMost(ctx.bodyInputStream(), upload, limit);
            }
            if (Files.size(upload) == 0) {
                throw new ApiError(400, "the upload is empty: send the image's bytes");
            }
            checkHeader(upload);
            String id = HexFormat.of().formatHex(randomBytes());
            String safeName = safeName(name);
            Analysis a = analyse(upload, safeName, id, start);
            results.put(id, a);
            // The JSON is part of the encoding time it reports: timed once, then written with its own time.
            long t = System.nanoTime();
            toJson(a, 0);
            json(ctx, 200, toJson(a, (System.nanoTime() - t) / 1e6));
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /** Reads and drops what is left of a request's body, at most {@code limit} bytes (none once it has been read). */
    private static void discard(Context ctx, long limit) {
        byte[] buffer = new byte[1 << 16];
        long left = limit;
        try {
            InputStream in = ctx.bodyInputStream();
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the body was already taken as multipart parts: nothing left to drop.
        }
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** Refuses, before decoding, a file that is not an image or whose header declares too many pixels. */
    private void checkHeader(Path upload) {
        ImageFiles.ImageSize size;
        try {
            size = ImageFiles.readSize(upload);
        } catch (IOException e) {
            throw notAnImage(upload, e);
        }
        if (size.width() < 1 || size.height() < 1 || size.pixels() > settings.maxPixels()) {
            throw new ApiError(413, "the image declares " + size.width() + "×" + size.height() + " = " + size.pixels()
                    + " pixels; this server decodes at most " + settings.maxPixels() + " pixels per image");
        }
    }

    private Analysis analyse(Path upload, String name, String id, long start) throws InterruptedException {
        Future<Analysis> work;
        long submitted = System.nanoTime();
        try {
            work = workers.submit(() -> {
                running.incrementAndGet();
                long begin = System.nanoTime();
                try {
                    return analyser.analyse(upload, name, settings.maxPixels(), pool, id, (begin - submitted) / 1e6);
                } finally {
                    running.decrementAndGet();
                    secondsPerImage = 0.8 * secondsPerImage + 0.2 * (System.nanoTime() - begin) / 1e9;
                }
            });
        } catch (RejectedExecutionException e) {
            if (stopping) {
                throw new ApiError(503, "the server is stopping; it takes no new images");
            }
            throw new ApiError(429, "the server is busy: " + settings.queueCapacity() + " images are waiting already;"
                    + " try again after Retry-After seconds", retryAfter());
        }
        long left = settings.requestTimeout().toNanos() - (System.nanoTime() - start);
        try {
            return work.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (CancellationException e) {
            throw new ApiError(503, "the server is stopping; this image was not analysed");
        } catch (TimeoutException e) {
            work.cancel(true);
            throw new ApiError(503, "the image was not analysed within this server's limit of "
                    + settings.requestTimeout().toMillis() / 1000.0 + " s per request", retryAfter());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw notAnImage(upload, io);
            }
            if (cause instanceof OutOfMemoryError) {
                throw new ApiError(503, "not enough memory to analyse the image now", retryAfter());
            }
            throw new IllegalStateException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    private long retryAfter() {
        double waiting = workers.getQueue().size() + running.get();
        return Math.max(1, Math.min(3600, (long) Math.ceil(secondsPerImage * waiting / settings.workers())));
    }

    private ApiError notAnImage(Path upload, IOException e) {
        String reason = String.valueOf(e.getMessage()).replace(upload.toString(), "the upload");
        return new ApiError(415, "the upload is not an image this server can decode (JPEG, PNG, TIFF or BMP): "
                + reason);
    }

    private ApiError tooLarge(long bytes) {
        return new ApiError(413, "the upload has " + bytes + " bytes; this server takes at most "
                + settings.maxUploadBytes() + " bytes per image");
    }

    private void copyAtMost(InputStream in, Path file, long limit) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw tooLarge(total);
                }
                out.write(buf, 0, n);
            }
        }
    }

    /** A name for downloads from the client's file name: its last path element, letters, digits and {@code . _ -}. */
    static String safeName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        if (base.length() > 100) {
            base = base.substring(base.length() - 100);
        }
        return base.isEmpty() ? "image" : base;
    }

    private Analysis result(Context ctx) {
        String id = ctx.pathParam("id");
        Analysis a = id.matches("[0-9a-f]{32}") ? results.get(id) : null;
        if (a == null) {
            throw new ApiError(404, "no result with id '" + id + "': unknown, or older than "
                    + settings.resultTtl().toMinutes() + " min or than the " + settings.maxResults()
                    + " latest results; segment the image again");
        }
        return a;
    }

    private static Float threshold(Context ctx) {
        String t = ctx.queryParam("threshold");
        if (t == null) {
            return null;
        }
        try {
            float v = Float.parseFloat(t);
            if (v > 0 && v < 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError(400, "threshold must be a number in (0, 1), got '" + t + "'");
    }

    private Segmenter.Result resultAt(Analysis a, Float threshold) {
        // A mask model's cells all score 1: its mask stands at any threshold.
        return threshold == null || !analyser.isDetector() ? a.result()
                : analyser.resultFor(a.cellsAt(threshold), a.image());
    }

    private void download(Context ctx, String type, Function<Segmenter.Outputs, Path> file,
                          Function<Analysis, byte[]> content) {
        Analysis a = result(ctx);
        byte[] body = content.apply(a);
        ctx.status(200).contentType(type);
        ctx.header("Content-Disposition", "attachment; filename=\"" + file.apply(a.files()).getFileName() + "\"");
        ctx.result(body);
    }

    private JsonObject toJson(Analysis a, double jsonMs) {
        JsonObject o = new JsonObject();
        o.addProperty("id", a.id());
        o.addProperty("name", a.name());
        o.addProperty("model", analyser.modelId());
        o.addProperty("width", a.image().width());
        o.addProperty("height", a.image().height());
        o.addProperty("count", a.result().count());
        o.addProperty("score", a.score());
        o.addProperty("call", a.calledAll() ? "ALL" : "healthy");
        JsonObject thresholds = new JsonObject();
        thresholds.addProperty("cell", analyser.cellThreshold());
        thresholds.addProperty("image", analyser.imageThreshold());
        thresholds.addProperty("candidateFloor", analyser.candidateFloor());
        o.add("thresholds", thresholds);
        o.addProperty("markerRadius", analyser.markerRadius());
        o.add("cells", Analysis.cellsJson(a.result().cells()));
        o.add("candidates", Analysis.cellsJson(a.candidates()));
        Analysis.Timings t = a.timings();
        JsonObject timings = new JsonObject();
        timings.addProperty("queueMs", t.queue());
        timings.addProperty("decodeMs", t.decode());
        timings.addProperty("inferenceMs", t.inference());
        timings.addProperty("encodeMs", Math.round((t.encode() + jsonMs) * 100) / 100.0);
        o.add("timings", timings);
        JsonObject links = new JsonObject();
        String base = "/api/v1/segment/" + a.id() + "/";
        for (String f : List.of("mask.png", "overlay.png", "heatmap.png", "cells.csv", "cells.geojson", "centres.xyc")) {
            links.addProperty(f, base + f);
        }
        o.add("links", links);
        return o;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = BlastServer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("the jar lacks " + RESOURCES + name);
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
        // The page and its scripts may be cached briefly; results never are (Cache-Control: no-store above).
        ctx.header("Cache-Control", "no-cache");
    }

    private static void json(Context ctx, int status, JsonObject body) {
        ctx.status(status).contentType("application/json").result(GSON.toJson(body));
    }

    private static void error(Context ctx, int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("status", status);
        o.addProperty("error", message);
        json(ctx, status, o);
    }

    private void deleteTemp() {
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the server's temporary folder " + temp, e);
        }
    }

    /** {@return the temporary folder the server writes uploads into (deleted by {@link #close})} */
    Path temporaryFolder() {
        return temp;
    }
}
