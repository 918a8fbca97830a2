package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code vnet demo}, as a user runs it (about 1.5 minutes on 2 cores): the small point detector must find the
 * blasts of the 20 held-out synthetic smears, touching ones included, and tell ALL smears from healthy ones, as the
 * README promises (there: cell F1 0.97, sensitivity 0.98, precision 0.96, images 1.00 / 1.00, AUC 1.00, 51 of 51
 * touching pairs). The held-out smears never chose the epoch or the thresholds.
 */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoTrainsADetectorThatFindsTheHeldOutBlasts() throws Exception {
        Path out = tmp.resolve("demo");
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"demo", "--out", out.toString(), "--quiet"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("test_report.json"))).getAsJsonObject();
        assertThat(report.get("images").getAsInt()).isEqualTo(DemoCommand.TEST_IMAGES);
        assertThat(report.get("cell_f1").getAsDouble()).as("held-out cell F1").isGreaterThanOrEqualTo(0.92);
        assertThat(report.get("cell_sensitivity").getAsDouble()).as("held-out cell sensitivity").isGreaterThanOrEqualTo(0.92);
        assertThat(report.get("cell_precision").getAsDouble()).as("held-out cell precision").isGreaterThanOrEqualTo(0.9);
        assertThat(report.get("image_sensitivity").getAsDouble()).as("held-out image sensitivity").isGreaterThanOrEqualTo(0.85);
        assertThat(report.get("image_specificity").getAsDouble()).as("held-out image specificity").isGreaterThanOrEqualTo(0.85);
        assertThat(report.get("image_auc").getAsDouble()).as("held-out image ROC AUC").isGreaterThanOrEqualTo(0.95);
        int pairs = report.get("touching_pairs").getAsInt();
        assertThat(pairs).as("touching pairs of blasts in the held-out smears").isGreaterThanOrEqualTo(20);
        assertThat(report.get("touching_pairs_separated").getAsInt()).as("of " + pairs + " touching pairs, both found")
                .isGreaterThanOrEqualTo((int) Math.ceil(0.85 * pairs));
        assertThat(out.resolve("run/checkpoints/best.safetensors")).isRegularFile();
        assertThat(out.resolve("test_report.md")).isRegularFile();
        assertThat(out.resolve("detection_images.csv")).isRegularFile();
        for (String name : new String[] {"Im001_1", "Im002_1", "Im003_1"}) {
            assertThat(out.resolve("segment/" + name + ".xyc")).isRegularFile();
        }
    }
}
