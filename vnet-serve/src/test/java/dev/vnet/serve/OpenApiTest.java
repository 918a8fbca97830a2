package dev.vnet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI description lists exactly the routes the server registers, with their methods, and every
 * {@code $ref} in it resolves. (ServeApiTest calls each route over HTTP.)
 */
class OpenApiTest {
    private static JsonObject document() throws IOException {
        try (InputStream in = BlastServer.class.getResourceAsStream("openapi.json")) {
            assertThat(in).as("openapi.json beside BlastServer").isNotNull();
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @Test
    void theDescriptionListsExactlyTheServersRoutes() throws IOException {
        JsonObject paths = document().getAsJsonObject("paths");
        Set<String> described = new TreeSet<>();
        for (Map.Entry<String, com.google.gson.JsonElement> p : paths.entrySet()) {
            for (String method : p.getValue().getAsJsonObject().keySet()) {
                described.add(method + " " + p.getKey());
            }
        }
        Set<String> served = new TreeSet<>();
        for (BlastServer.Route r : BlastServer.ROUTES) {
            served.add(r.method() + " " + r.path());
        }
        assertThat(described).isEqualTo(served);
    }

    @Test
    void everyReferenceResolvesAndEveryOperationAnswersSomething() throws IOException {
        JsonObject doc = document();
        String text = doc.toString();
        JsonObject schemas = doc.getAsJsonObject("components").getAsJsonObject("schemas");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/schemas/(\\w+)\"").matcher(text);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertThat(schemas.has(m.group(1))).as(m.group()).isTrue();
        }
        assertThat(refs).isPositive();
        for (Map.Entry<String, com.google.gson.JsonElement> p : doc.getAsJsonObject("paths").entrySet()) {
            for (Map.Entry<String, com.google.gson.JsonElement> op : p.getValue().getAsJsonObject().entrySet()) {
                JsonObject o = op.getValue().getAsJsonObject();
                assertThat(o.has("summary")).as(op.getKey() + " " + p.getKey()).isTrue();
                assertThat(o.getAsJsonObject("responses").has("200")).as(op.getKey() + " " + p.getKey()).isTrue();
                if (p.getKey().contains("{id}")) {
                    assertThat(o.toString()).as(p.getKey() + " declares its id").contains("\"in\":\"path\"");
                }
            }
        }
    }
}
