package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.train.CrossValidation;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two folds of one short epoch each on tiny synthetic smears: the folds, their held-out numbers and the summary. */
class CrossValidationOfTheDetectorTest {

    @Test
    void everyImageIsHeldOutOnceAndTheSummaryIsTheFoldsMeanAndSd(@TempDir Path dir) throws Exception {
        SmearGenerator g = new SmearGenerator(SmearConfig.defaults().withImageCount(8).withSize(160, 120).withSeed(5)
                .withBlasts(2, 4));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var s = g.render(i);
            samples.add(Sample.ofImage(s.name(), s.image(), s.blastCentres(), s.all()));
        }
        TrainConfig config = TinyData.detector(160).toBuilder().validationFraction(0.34).build();

        CrossValidation.Result r = CrossValidation.run(config, samples, 2, dir, b -> b.quiet(true));
        CrossValidation.write(r, config, samples.size(), dir);

        assertThat(r.folds()).hasSize(2);
        Set<String> seen = new HashSet<>();
        for (CrossValidation.Fold f : r.folds()) {
            assertThat(f.heldOut()).hasSize(4);
            assertThat(f.trained()).isEqualTo(4);
            for (String name : f.heldOut()) {
                assertThat(seen.add(name)).as(name + " held out twice").isTrue();
            }
            long all = samples.stream().filter(s -> f.heldOut().contains(s.name()) && s.label()).count();
            assertThat(all).as("ALL images held out in fold " + f.fold()).isEqualTo(2);
            assertThat(f.metrics().images()).isEqualTo(4);
            for (String metric : List.of("cell_f1", "cell_sensitivity", "cell_precision", "image_sensitivity",
                    "image_specificity", "image_auc")) {
                assertThat(f.values().get(metric)).as(metric).isBetween(0.0, 1.0);
            }
            assertThat(dir.resolve("fold-" + f.fold()).resolve("checkpoints/best.safetensors")).isRegularFile();
            assertThat(Files.readAllLines(dir.resolve("fold-" + f.fold()).resolve("held_out.txt")))
                    .containsExactlyElementsOf(f.heldOut());
        }
        assertThat(seen).hasSize(8);
        // Each fold's own run report says its numbers are not held out, and how its touching pairs fared.
        JsonObject report = JsonParser.parseString(Files.readString(dir.resolve("fold-1/report.json"))).getAsJsonObject();
        assertThat(report.get("held_out").getAsBoolean()).isFalse();
        assertThat(report.has("touching_pairs_separated")).isTrue();
        assertThat(Files.readString(dir.resolve("fold-1/report.md"))).contains("Touching blasts:",
                report.get("touching_pairs").getAsInt() + " pairs of labelled blasts", "Cell threshold");

        for (String metric : CrossValidation.METRICS) {
            double a = r.folds().get(0).values().get(metric);
            double b = r.folds().get(1).values().get(metric);
            assertThat(r.mean().get(metric)).as(metric).isCloseTo((a + b) / 2, offset(1e-12));
            assertThat(r.sd().get(metric)).as(metric)
                    .isCloseTo(Math.abs(a - b) / Math.sqrt(2), offset(1e-12));
        }
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("cv.json"))).getAsJsonObject();
        assertThat(json.get("folds").getAsInt()).isEqualTo(2);
        assertThat(json.getAsJsonArray("per_fold")).hasSize(2);
        assertThat(json.getAsJsonObject("mean").get("cell_f1").getAsDouble()).isEqualTo(r.mean().get("cell_f1"));
        assertThat(Files.readString(dir.resolve("cv.md"))).contains("mean ± SD", "held-out");
    }
}
