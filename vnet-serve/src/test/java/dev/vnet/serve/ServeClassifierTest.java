package dev.vnet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.ImageFiles;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.classify.CellScorer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnet serve --classifier}: the server's two stages give the cells and the image score of
 * {@code vnet segment --classifier} (the library's {@link Segmenter#withClassifier}) for the same image and models,
 * and every proposal comes back scored with its blast probability for the page's slider.
 */
class ServeClassifierTest {
    @TempDir
    Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theCellsAndScoreAreThoseOfSegmentWithTheClassifier() throws Exception {
        Path smear = ServeFixtures.smear(dir.resolve("smear.png"), ServeFixtures.WIDTH, ServeFixtures.HEIGHT, 5);
        Path model = ServeFixtures.detector(dir.resolve("tiny.safetensors"), smear);
        Path classifier = ServeFixtures.classifier(dir.resolve("cells.safetensors"));
        try (BlastServer server = BlastServer.start(model, classifier,
                ServeSettings.defaults().withAddress("127.0.0.1", 0))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/segment"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(smear))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();

            Segmenter two = Segmenter.load(model).withClassifier(CellScorer.load(classifier));
            Segmenter.TwoStages expected = two.detectInTwoStages(ImageFiles.read(smear));
            Segmenter.Result written = two.segmentFiles(List.of(smear), dir.resolve("segment"), (in, res) -> { })
                    .get(0);
            assertThat(expected.proposals()).as("the detector proposes cells to score").hasSizeGreaterThan(2);

            assertThat(o.get("model").getAsString()).isEqualTo(server.modelId()).startsWith("tiny@").contains("+cells@");
            assertThat(o.get("count").getAsInt()).isEqualTo(written.count()).isEqualTo(expected.cells().size());
            assertThat(o.get("score").getAsFloat()).isEqualTo(expected.score());
            assertThat(o.get("call").getAsString()).isEqualTo(expected.score() >= 0.5f ? "ALL" : "healthy");
            JsonArray cells = o.getAsJsonArray("cells");
            for (int i = 0; i < cells.size(); i++) {
                JsonObject c = cells.get(i).getAsJsonObject();
                assertThat(c.get("x").getAsDouble()).isEqualTo(written.cells().get(i).x());
                assertThat(c.get("y").getAsDouble()).isEqualTo(written.cells().get(i).y());
                assertThat(c.get("score").getAsFloat()).isEqualTo(expected.cells().get(i).score());
            }
            JsonObject thresholds = o.getAsJsonObject("thresholds");
            assertThat(thresholds.get("cell").getAsFloat()).isEqualTo(0.5f);
            assertThat(thresholds.get("image").getAsFloat()).isEqualTo(0.5f);

            // Every proposal is a candidate, scored with its probability, highest first.
            JsonArray candidates = o.getAsJsonArray("candidates");
            assertThat(candidates).hasSize(expected.proposals().size());
            float[] sorted = expected.probabilities().clone();
            java.util.Arrays.sort(sorted);
            int above = 0;
            for (int i = 0; i < candidates.size(); i++) {
                float s = candidates.get(i).getAsJsonObject().get("score").getAsFloat();
                assertThat(s).isEqualTo(sorted[sorted.length - 1 - i]);
                above += s >= 0.5f ? 1 : 0;
            }
            assertThat(above).isEqualTo(cells.size());

            // Another threshold re-filters the probabilities.
            float mid = sorted[sorted.length / 2];
            String csv = new String(ServeFixtures.get(HTTP, base + o.getAsJsonObject("links").get("cells.csv")
                    .getAsString() + "?threshold=" + mid).body(), StandardCharsets.UTF_8);
            long atMid = 0;
            for (JsonElement c : candidates) {
                atMid += c.getAsJsonObject().get("score").getAsFloat() >= mid ? 1 : 0;
            }
            assertThat(csv.lines().count() - 1).isEqualTo(atMid);

            JsonObject described = JsonParser.parseString(new String(ServeFixtures.get(HTTP, base + "/api/v1/model")
                    .body(), StandardCharsets.UTF_8)).getAsJsonObject();
            assertThat(described.get("kind").getAsString()).isEqualTo("point detector and cell classifier");
            assertThat(described.get("id").getAsString()).isEqualTo(server.modelId());
            JsonObject c = described.getAsJsonObject("classifier");
            assertThat(c.get("file").getAsString()).isEqualTo("cells.safetensors");
            assertThat(c.get("parameters").getAsLong()).isEqualTo(CellScorer.load(classifier).model().parameterCount());
        }
    }

    @Test
    void aClassifierIsRefusedWithAMaskModelAndAVnetCheckpointAsAClassifier() throws IOException {
        Path smear = ServeFixtures.smear(dir.resolve("smear.png"), ServeFixtures.WIDTH, ServeFixtures.HEIGHT, 5);
        Path detector = ServeFixtures.detector(dir.resolve("tiny.safetensors"), smear);
        TrainConfig masks = TinyData.config();
        Path maskModel = dir.resolve("masks.safetensors");
        Checkpoint.save(maskModel, new VNet(masks.model(), masks.seed()), masks, 1, 1, Double.NaN);
        Path classifier = ServeFixtures.classifier(dir.resolve("cells.safetensors"));
        ServeSettings settings = ServeSettings.defaults().withAddress("127.0.0.1", 0);

        assertThatThrownBy(() -> BlastServer.start(maskModel, classifier, settings)).isInstanceOf(IOException.class)
                .hasMessageContaining("cells.safetensors").hasMessageContaining("point detector");
        assertThatThrownBy(() -> BlastServer.start(detector, detector, settings)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a cell classifier checkpoint");
    }
}
