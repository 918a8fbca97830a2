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

/** {@code vnet cv} on tiny synthetic smears: two folds of one epoch, and the one-line errors. */
class CvCommandTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private Path synth(int images) {
        Path data = tmp.resolve("data");
        String[] r = run("synth", "--out", data.toString(), "--images", Integer.toString(images), "--width", "96",
                "--height", "64");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        return data;
    }

    @Test
    void twoFoldsOfOneEpochWriteEachFoldAndTheMeanAndSd() throws Exception {
        Path data = synth(8);
        Path out = tmp.resolve("cv");
        String[] r = run("cv", "--data", data.toString(), "--folds", "2", "--preset", "demo", "--epochs", "1",
                "--threads", "1", "--out", out.toString(), "-q");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("cv.json"))).getAsJsonObject();
        assertThat(json.get("folds").getAsInt()).isEqualTo(2);
        assertThat(json.get("images").getAsInt()).isEqualTo(8);
        assertThat(json.get("epochs").getAsInt()).isEqualTo(1);
        assertThat(json.getAsJsonArray("per_fold")).hasSize(2);
        int heldOut = 0;
        for (var f : json.getAsJsonArray("per_fold")) {
            heldOut += f.getAsJsonObject().getAsJsonArray("held_out").size();
        }
        assertThat(heldOut).as("every image held out once").isEqualTo(8);
        for (String metric : new String[] {"cell_f1", "cell_sensitivity", "cell_precision", "image_sensitivity",
            "image_specificity", "image_auc"}) {
            assertThat(json.getAsJsonObject("mean").has(metric)).as(metric).isTrue();
            assertThat(json.getAsJsonObject("sd").has(metric)).as(metric).isTrue();
        }
        assertThat(Files.readString(out.resolve("cv.md"))).contains("| 1 |", "| 2 |", "mean ± SD");
        assertThat(out.resolve("fold-1/checkpoints/best.safetensors")).isRegularFile();
        assertThat(out.resolve("fold-2/held_out.txt")).isRegularFile();
    }

    @Test
    void moreFoldsThanImagesIsOneLine() {
        Path data = synth(3);
        Path out = tmp.resolve("cv");
        String[] r = run("cv", "--data", data.toString(), "--folds", "4", "--out", out.toString(), "-q");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).doesNotContain("\n").contains("--folds", "(3)", "got 4");
        assertThat(out).doesNotExist();
    }
}
