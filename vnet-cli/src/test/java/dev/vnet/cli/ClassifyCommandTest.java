package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.train.classify.CellClassifier;
import dev.vnet.train.classify.ClassifierConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnet classify} on tiny synthetic crops: train, predict, eval and cv, and the one-line errors. */
class ClassifyCommandTest {
    @TempDir
    Path tmp;

    /** Runs the command line; returns the exit code, what it printed on stdout (where the commands print their
     * results, through {@code System.out}) and on stderr. */
    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            code = Cli.run(args, new PrintWriter(System.out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(saved);
        }
        return new String[] {Integer.toString(code), stdout.toString(StandardCharsets.UTF_8), err.toString()};
    }

    private Path crops() {
        Path data = tmp.resolve("crops");
        String[] r = run("synth", "--out", data.toString(), "--images", "12", "--camera", "2592", "--scale", "0.25",
                "--crops");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        return data;
    }

    @Test
    void trainPredictEvalAndCrossValidate() throws Exception {
        Path data = crops();
        Path run = tmp.resolve("run");
        String[] t = run("classify", "train", "--data", data.toString(), "--out", run.toString(), "--epochs", "2",
                "--size", "32", "--width", "4", "--threads", "1", "--validation", "0.25", "-q");
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        assertThat(t[1]).contains("best epoch", "on the validation crops", "accuracy");
        for (String f : new String[] {"config.json", "data.sha256", "metrics.csv", "report.json", "report.md",
            "predictions.csv", "mistakes.png", "checkpoints/best.safetensors", "checkpoints/last.safetensors"}) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(3);
        String[] changed = run("classify", "train", "--data", data.toString(), "--out", run.toString(), "--resume",
                "--epochs", "5", "--width", "8", "-q");
        assertThat(changed[0]).isEqualTo("1");
        assertThat(changed[2].strip()).contains("--resume continues with the configuration saved in", "--epochs",
                "--width").doesNotContain("\n");
        Path model = run.resolve("checkpoints/best.safetensors");
        String[] described = run("classify", "describe", "--model", model.toString());
        assertThat(described[0]).as(described[2]).isEqualTo("0");
        assertThat(described[1]).contains("width 4", "input [1, 3, 32, 32]", "[1, 16, 8, 8]");

        Path a = data.resolve("img/Im001_1.tif");
        Path b = data.resolve("img/Im012_0.tif");
        String[] p = run("classify", "predict", "--model", model.toString(), a.toString(), b.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        String[] lines = p[1].strip().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("image,probability,call");
        for (int i = 1; i < 3; i++) {
            double prob = Double.parseDouble(lines[i].split(",")[1]);
            assertThat(prob).isBetween(0.0, 1.0);
            assertThat(lines[i].split(",")[2]).isEqualTo(prob >= 0.5 ? "1" : "0");
        }

        String[] e = run("classify", "eval", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("eval").toString());
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        JsonObject ej = JsonParser.parseString(e[1]).getAsJsonObject();
        assertThat(ej.get("crops").getAsInt()).isEqualTo(12);
        JsonObject confusion = ej.getAsJsonObject("confusion");
        assertThat(confusion.get("true_positives").getAsInt() + confusion.get("false_negatives").getAsInt())
                .as("the blasts").isEqualTo(6);
        assertThat(tmp.resolve("eval/mistakes.png")).isRegularFile();

        String[] cv = run("classify", "cv", "--data", data.toString(), "--folds", "2", "--epochs", "1", "--size", "32",
                "--width", "4", "--threads", "1", "-q");
        assertThat(cv[0]).as(cv[2]).isEqualTo("0");
        assertThat(cv[1]).as("strict JSON").doesNotContain("NaN");
        JsonObject cj = JsonParser.parseString(cv[1]).getAsJsonObject();
        for (String k : new String[] {"accuracy", "sensitivity", "specificity", "auc"}) {
            assertThat(cj.has(k)).as(k).isTrue();
        }
        assertThat(cj.get("accuracy").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(cj.getAsJsonArray("per_fold")).hasSize(2);
        int scored = 0;
        for (var f : cj.getAsJsonArray("per_fold")) {
            scored += f.getAsJsonObject().get("crops").getAsInt();
        }
        assertThat(scored).as("every crop held out once").isEqualTo(12);
    }

    @Test
    void describePrintsEveryLayerWithItsShapeAndParametersAndTheTotals() {
        String[] r = run("classify", "describe");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String table = r[1];
        ClassifierConfig d = ClassifierConfig.defaults();
        CellClassifier model = new CellClassifier(d, d.seed());
        assertThat(table).startsWith("layer").contains("type", "output shape", "parameters");
        int last = d.baseWidth() << (d.stages() - 1);
        int side = d.inputSize() >> (d.stages() - 1);
        assertThat(table).containsPattern("(?m)^conv1 +Conv2d.*\\[1, " + d.baseWidth() + ", " + d.inputSize() + ", "
                + d.inputSize() + "\\]");
        assertThat(table).containsPattern("(?m)^layer" + d.stages() + "\\.0 +ResidualBlock +\\[1, " + last + ", "
                + side + ", " + side + "\\]");
        assertThat(table).containsPattern("(?m)^layer2\\.0\\.downsample\\.0 +Conv2d");
        assertThat(table).containsPattern("(?m)^fc +Linear.* +\\[1, 2\\] +" + (last * 2 + 2) + "$");
        assertThat(table).contains(String.format(java.util.Locale.ROOT, "trainable parameters: %,d",
                model.parameterCount()));
        long sum = 0;
        for (String line : table.split("\\R")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" ([0-9,]+)$").matcher(line);
            if (!line.startsWith("trainable") && m.find()) {
                sum += Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        assertThat(sum).as("every parameter in one row").isEqualTo(model.parameterCount());

        String[] small = run("classify", "describe", "--width", "4", "--stages", "2", "--size", "32");
        assertThat(small[0]).as(small[2]).isEqualTo("0");
        assertThat(small[1]).contains("[1, 8, 16, 16]").doesNotContain("layer3");
        assertThat(run("classify", "describe", "--stages", "9")[0]).isEqualTo("2");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String c : new String[] {"train", "eval", "predict", "cv", "compare", "describe"}) {
            String[] r = run("classify", c, "--help");
            assertThat(r[0]).as(c).isEqualTo("0");
            assertThat(r[1]).as(c).contains("Usage: vnet classify " + c);
        }
        assertThat(run("--help")[1]).contains("classify");
        String trainHelp = run("train", "--help")[1];
        String limit = trainHelp.substring(trainHelp.lastIndexOf("--time-limit"),
                trainHelp.indexOf("slower CPU too."));
        assertThat(limit).contains("Minutes the training may take");
        for (String c : new String[] {"train", "cv"}) {
            assertThat(run("classify", c, "--help")[1]).as(c).contains(limit);
        }
    }

    @Test
    void wrongInputsAreOneLine() throws Exception {
        Path data = crops();
        String[] folds = run("classify", "cv", "--data", data.toString(), "--folds", "1", "-q");
        assertThat(folds[0]).isEqualTo("2");
        assertThat(folds[2].strip()).contains("--folds").doesNotContain("\n");
        String[] model = run("classify", "predict", "--model", data.resolve("img/Im001_1.tif").toString(),
                data.resolve("img/Im001_1.tif").toString());
        assertThat(model[0]).isEqualTo("1");
        assertThat(model[2].strip()).doesNotContain("\n");
        String[] none = run("classify");
        assertThat(none[0]).isEqualTo("2");
    }
}
