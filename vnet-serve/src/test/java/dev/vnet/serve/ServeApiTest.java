package dev.vnet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import dev.vnet.train.Segmenter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTP, against servers on free ports: every endpoint, every limit and every error, and the cells of
 * {@code vnet segment} (the library's {@link Segmenter#segmentFiles}, which the command calls) for the same image
 * and model.
 */
class ServeApiTest {
    @TempDir
    static Path dir;

    static Path smear;
    static Path model;
    static BlastServer server;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        smear = ServeFixtures.smear(dir.resolve("smear one.png"), ServeFixtures.WIDTH, ServeFixtures.HEIGHT, 5);
        model = ServeFixtures.detector(dir.resolve("tiny.safetensors"), smear);
        server = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String url, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postImage(String url, Path image) throws Exception {
        return post(url, "image/png", Files.readAllBytes(image));
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** An error: the status, a JSON body with that status and a message that says {@code says}. */
    private static void assertError(HttpResponse<String> r, int status, String... says) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonObject o = json(r);
        assertThat(o.get("status").getAsInt()).isEqualTo(status);
        assertThat(o.get("error").getAsString()).contains(says);
        assertSecurityHeaders(r);
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "default-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval"));
    }

    /** {@code multipart/form-data} with one file. */
    private static HttpResponse<String> postMultipart(String url, String field, String filename, byte[] content)
            throws Exception {
        String boundary = "vnet-test-boundary-7d1f";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(url, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    @Test
    void theCellsAreThoseOfVnetSegmentAndTheDownloadsItsFiles() throws Exception {
        HttpResponse<String> r = postImage(base + "/api/v1/segment?name=smear%20one.png", smear);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertSecurityHeaders(r);
        JsonObject o = json(r);

        Path seg = dir.resolve("segment");
        Segmenter.Result expected = Segmenter.load(model).segmentFiles(List.of(smear), seg, (in, res) -> { }).get(0);
        Segmenter.Outputs files = Segmenter.outputs(smear, seg);
        assertThat(expected.count()).as("the test model finds cells").isGreaterThan(1);
        assertThat(o.get("count").getAsInt()).isEqualTo(expected.count());
        assertThat(o.get("width").getAsInt()).isEqualTo(ServeFixtures.WIDTH);
        assertThat(o.get("height").getAsInt()).isEqualTo(ServeFixtures.HEIGHT);
        assertThat(o.get("model").getAsString()).isEqualTo(server.modelId()).startsWith("tiny@");
        assertThat(o.get("call").getAsString()).isIn("ALL", "healthy");
        assertThat(o.get("name").getAsString()).isEqualTo("smear_one.png");
        JsonArray cells = o.getAsJsonArray("cells");
        for (int i = 0; i < expected.count(); i++) {
            JsonObject c = cells.get(i).getAsJsonObject();
            assertThat(c.get("x").getAsDouble()).isEqualTo(expected.cells().get(i).x());
            assertThat(c.get("y").getAsDouble()).isEqualTo(expected.cells().get(i).y());
            assertThat(c.get("score").getAsFloat()).isEqualTo(expected.cells().get(i).score());
        }
        float cellThreshold = o.getAsJsonObject("thresholds").get("cell").getAsFloat();
        JsonArray candidates = o.getAsJsonArray("candidates");
        assertThat(candidates.size()).isGreaterThan(cells.size());
        int above = 0;
        for (JsonElement c : candidates) {
            above += c.getAsJsonObject().get("score").getAsFloat() >= cellThreshold ? 1 : 0;
        }
        assertThat(above).as("candidates at the cell threshold are the cells").isEqualTo(cells.size());
        JsonObject t = o.getAsJsonObject("timings");
        for (String k : List.of("queueMs", "decodeMs", "inferenceMs", "encodeMs")) {
            assertThat(t.get(k).getAsDouble()).as(k).isGreaterThanOrEqualTo(0);
        }

        // The downloads are the files vnet segment writes, under the same names.
        JsonObject links = o.getAsJsonObject("links");
        HttpResponse<byte[]> csv = ServeFixtures.get(HTTP, base + links.get("cells.csv").getAsString());
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(files.cells()));
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"smear_one_cells.csv\"");
        assertThat(csv.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(ServeFixtures.get(HTTP, base + links.get("cells.geojson").getAsString()).body())
                .isEqualTo(Files.readAllBytes(files.geojson()));
        assertThat(ServeFixtures.get(HTTP, base + links.get("centres.xyc").getAsString()).body())
                .isEqualTo(Files.readAllBytes(files.xyc()));
        HttpResponse<byte[]> mask = ServeFixtures.get(HTTP, base + links.get("mask.png").getAsString());
        assertThat(mask.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(decode(mask.body()).data()).isEqualTo(ImageFiles.read(files.mask()).data());
        Image8 overlay = decode(ServeFixtures.get(HTTP, base + links.get("overlay.png").getAsString()).body());
        assertThat(overlay.data()).isEqualTo(ImageFiles.read(files.overlay()).data());
        Image8 heat = decode(ServeFixtures.get(HTTP, base + links.get("heatmap.png").getAsString()).body());
        assertThat(heat.width()).isPositive();

        // Another threshold: the candidates above it.
        HttpResponse<byte[]> high = ServeFixtures.get(HTTP, base + links.get("cells.csv").getAsString() + "?threshold=0.99");
        long expectedHigh = 0;
        for (JsonElement c : candidates) {
            expectedHigh += c.getAsJsonObject().get("score").getAsFloat() >= 0.99f ? 1 : 0;
        }
        assertThat(new String(high.body(), StandardCharsets.UTF_8).lines().count() - 1).isEqualTo(expectedHigh);
        assertError(asString(ServeFixtures.get(HTTP, base + links.get("cells.csv").getAsString() + "?threshold=2")),
                400, "threshold must be a number in (0, 1), got '2'");

        // The same result again by its id.
        JsonObject again = json(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/segment/" + o.get("id")
                .getAsString())).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(again.get("cells")).isEqualTo(o.get("cells"));
        assertThat(server.temporaryFolder()).isEmptyDirectory();
    }

    @Test
    void concurrentRequestsAndAMultipartUploadGiveTheSameCells() throws Exception {
        String single = json(postImage(base + "/api/v1/segment", smear)).get("cells").toString();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        byte[] png = Files.readAllBytes(smear);
        for (int i = 0; i < 4; i++) {
            all.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/segment"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("cells").toString()).isEqualTo(single);
        }
        HttpResponse<String> m = postMultipart(base + "/api/v1/segment", "image", "folder/Im 7.png", png);
        assertThat(m.statusCode()).as(m.body()).isEqualTo(200);
        JsonObject o = json(m);
        assertThat(o.get("cells").toString()).isEqualTo(single);
        assertThat(o.get("name").getAsString()).isEqualTo("Im_7.png");
        HttpResponse<byte[]> xyc = ServeFixtures.get(HTTP, base + o.getAsJsonObject("links").get("centres.xyc").getAsString());
        assertThat(xyc.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"Im_7.xyc\"");
    }

    @Test
    void healthModelPageAndOpenApiAreServed() throws Exception {
        JsonObject health = json(asString(ServeFixtures.get(HTTP, base + "/health")));
        assertThat(health.get("status").getAsString()).isEqualTo("ok");
        assertThat(health.get("model").getAsString()).isEqualTo(server.modelId());
        JsonObject m = json(asString(ServeFixtures.get(HTTP, base + "/api/v1/model")));
        assertThat(m.get("kind").getAsString()).isEqualTo("point detector");
        assertThat(m.getAsJsonObject("thresholds").get("cell").getAsFloat())
                .isEqualTo(Segmenter.load(model).config().detection().cellThreshold());
        assertThat(m.getAsJsonObject("training").get("epoch").getAsString()).isEqualTo("1");
        assertThat(m.getAsJsonObject("configuration").has("detection")).isTrue();
        HttpResponse<String> page = asString(ServeFixtures.get(HTTP, base + "/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"app.js\" defer></script>").doesNotContain("<script>", "onclick=",
                "http://", "https://", "style=");
        assertSecurityHeaders(page);
        for (String asset : List.of("/app.js", "/app.css")) {
            HttpResponse<String> a = asString(ServeFixtures.get(HTTP, base + asset));
            assertThat(a.statusCode()).as(asset).isEqualTo(200);
            // The SVG namespace is a name, not an address the page loads.
            assertThat(a.body().replace("'http://www.w3.org/2000/svg'", "")).as(asset + " loads nothing from another origin")
                    .doesNotContain("http://", "https://", "innerHTML", "eval(");
        }
        JsonObject api = json(asString(ServeFixtures.get(HTTP, base + "/api/v1/openapi.json")));
        assertThat(api.get("openapi").getAsString()).startsWith("3.");
    }

    @Test
    void wrongRequestsAreAnsweredWithOneJsonMessage() throws Exception {
        byte[] png = Files.readAllBytes(smear);
        assertError(post(base + "/api/v1/segment", "image/png", "not an image at all".getBytes(StandardCharsets.UTF_8)),
                415, "not an image this server can decode");
        assertError(post(base + "/api/v1/segment", "text/plain", png), 415, "got 'text/plain'");
        assertError(post(base + "/api/v1/segment", null, png), 415, "Content-Type");
        assertError(post(base + "/api/v1/segment", "image/png", new byte[0]), 400, "empty");
        assertError(postMultipart(base + "/api/v1/segment", "image", "x.png", "plain text".getBytes(StandardCharsets.UTF_8)),
                415, "not an image");
        assertError(post(base + "/api/v1/segment", "multipart/form-data; boundary=b", "--b--\r\n".getBytes(StandardCharsets.UTF_8)),
                400, "exactly one file");
        assertError(post(base + "/api/v1/segment", "image/png", pixelBomb(100_000, 100_000)), 413,
                "100000×100000 = 10000000000 pixels", "at most " + ServeSettings.DEFAULT_MAX_PIXELS);
        String unknown = "0123456789abcdef0123456789abcdef";
        assertError(asString(ServeFixtures.get(HTTP, base + "/api/v1/segment/" + unknown)), 404, "no result with id '" + unknown);
        assertError(asString(ServeFixtures.get(HTTP, base + "/api/v1/segment/" + unknown + "/mask.png")), 404, "no result");
        assertError(asString(ServeFixtures.get(HTTP, base + "/api/v1/segment/..%2F..%2Fetc/cells.csv")), 404, "no");
        assertError(asString(ServeFixtures.get(HTTP, base + "/no/such/page")), 404, "nothing at /no/such/page");
        assertError(asString(ServeFixtures.get(HTTP, base + "/api/v1/segment")), 405, "GET is not allowed on /api/v1/segment");
        assertError(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()), 405, "DELETE is not allowed");
        assertThat(server.temporaryFolder()).isEmptyDirectory();
    }

    @Test
    void uploadsOverTheByteLimitAreRefusedWithOrWithoutTheirLength() throws Exception {
        byte[] png = Files.readAllBytes(smear);
        try (BlastServer small = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withUploadLimits(png.length - 1, ServeSettings.DEFAULT_MAX_PIXELS))) {
            String url = "http://127.0.0.1:" + small.port() + "/api/v1/segment";
            assertError(post(url, "image/png", png), 413, "has " + png.length + " bytes", "at most " + (png.length - 1));
            // Without a Content-Length (chunked), the server counts while reading.
            HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(png))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(chunked, 413, "at most " + (png.length - 1) + " bytes");
            HttpResponse<String> multipart = postMultipart(url, "image", "a.png", png);
            assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(413);
            assertThat(small.temporaryFolder()).isEmptyDirectory();
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndTheOthersAreServed() throws Exception {
        Path big = ServeFixtures.smear(dir.resolve("big.png"), 960, 720, 9);
        try (BlastServer one = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withQueue(1, 1, Duration.ofSeconds(60)))) {
            String url = "http://127.0.0.1:" + one.port();
            byte[] png = Files.readAllBytes(big);
            CompletableFuture<HttpResponse<String>> first = sendAsync(url, png);
            awaitHealth(url, "running", 1);
            CompletableFuture<HttpResponse<String>> second = sendAsync(url, png);
            awaitHealth(url, "queued", 1);
            HttpResponse<String> third = post(url + "/api/v1/segment", "image/png", png);
            assertError(third, 429, "busy", "1 images are waiting");
            assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
            assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
            assertThat(second.get().statusCode()).as(second.get().body()).isEqualTo(200);
        }
    }

    @Test
    void anImageOverTheTimeLimitIsAnswered503() throws Exception {
        try (BlastServer hurried = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withQueue(1, 4, Duration.ofMillis(1)))) {
            HttpResponse<String> r = postImage("http://127.0.0.1:" + hurried.port() + "/api/v1/segment", smear);
            assertError(r, 503, "not analysed within this server's limit of 0.001 s");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void resultsAreKeptForABoundedCount() throws Exception {
        try (BlastServer few = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0)
                .withResults(Duration.ofMinutes(5), 1))) {
            String url = "http://127.0.0.1:" + few.port();
            String a = json(postImage(url + "/api/v1/segment", smear)).get("id").getAsString();
            assertThat(ServeFixtures.get(HTTP, url + "/api/v1/segment/" + a).statusCode()).isEqualTo(200);
            String b = json(postImage(url + "/api/v1/segment", smear)).get("id").getAsString();
            assertThat(b).isNotEqualTo(a);
            assertError(asString(ServeFixtures.get(HTTP, url + "/api/v1/segment/" + a + "/cells.csv")), 404, "no result");
            assertThat(ServeFixtures.get(HTTP, url + "/api/v1/segment/" + b + "/cells.csv").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void stoppingAnswersTheImageUnderWayRefusesTheWaitingOneThenClosesAndDeletesItsFolder() throws Exception {
        Path big = ServeFixtures.smear(dir.resolve("big2.png"), 960, 720, 11);
        BlastServer s = BlastServer.start(model, ServeSettings.defaults().withAddress("127.0.0.1", 0));
        String url = "http://127.0.0.1:" + s.port();
        Path temp = s.temporaryFolder();
        byte[] png = Files.readAllBytes(big);
        CompletableFuture<HttpResponse<String>> inFlight = sendAsync(url, png);
        awaitHealth(url, "running", 1);
        CompletableFuture<HttpResponse<String>> waiting = sendAsync(url, png);
        awaitHealth(url, "queued", 1);
        s.close();
        HttpResponse<String> answered = inFlight.get();
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(json(answered).get("count").getAsInt()).isGreaterThanOrEqualTo(0);
        assertError(waiting.get(), 503, "the server is stopping; this image was not analysed");
        assertThat(temp).doesNotExist();
        assertThatThrownBy(() -> ServeFixtures.get(HTTP, url + "/health")).isInstanceOf(ConnectException.class);
        s.close();
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(String url, byte[] png) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url + "/api/v1/segment")).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code /health} reports {@code value} for {@code key} (at most 30 s). */
    private static void awaitHealth(String url, String key, int value) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            JsonObject h = JsonParser.parseString(new String(ServeFixtures.get(HTTP, url + "/health").body(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            if (h.get(key).getAsInt() == value) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("/health never reported " + key + " = " + value);
    }

    private static HttpResponse<String> asString(HttpResponse<byte[]> r) {
        return new HttpResponse<>() {
            @Override public int statusCode() { return r.statusCode(); }
            @Override public HttpRequest request() { return r.request(); }
            @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
            @Override public java.net.http.HttpHeaders headers() { return r.headers(); }
            @Override public String body() { return new String(r.body(), StandardCharsets.UTF_8); }
            @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
            @Override public URI uri() { return r.uri(); }
            @Override public HttpClient.Version version() { return r.version(); }
        };
    }

    private static Image8 decode(byte[] png) throws IOException {
        return ImageFiles.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(png)));
    }

    /** A PNG of 1×1 pixel whose header declares {@code width × height}: what a decoder would allocate for. */
    static byte[] pixelBomb(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", out);
        byte[] png = out.toByteArray();
        // Signature (8 bytes), IHDR length (4), "IHDR" (4), width (4), height (4), ...; CRC over type + data (17 bytes).
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, width);
        b.putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        assertThat(new String(png, 12, 4, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)).isEqualTo("ihdr");
        return png;
    }
}
