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
 * The whole {@code vnet demo}, as a user runs it (about 70 s on 2 cores): it must end with a model that finds the
 * blasts of the 12 held-out synthetic smears, as the README promises (Dice 0.80 and cell F1 0.94 there).
 */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoTrainsAModelThatFindsTheHeldOutBlasts() throws Exception {
        Path out = tmp.resolve("demo");
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"demo", "--out", out.toString(), "--quiet"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("test_report.json"))).getAsJsonObject();
        assertThat(report.get("images").getAsInt()).isEqualTo(12);
        assertThat(report.get("dice").getAsDouble()).as("held-out Dice").isGreaterThanOrEqualTo(0.7);
        assertThat(report.get("cell_f1").getAsDouble()).as("held-out cell F1").isGreaterThanOrEqualTo(0.8);
        assertThat(out.resolve("run/checkpoints/best.safetensors")).isRegularFile();
        assertThat(out.resolve("test_report.md")).isRegularFile();
    }
}
