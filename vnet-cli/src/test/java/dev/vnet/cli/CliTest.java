package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.FolderLock;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.io.data.Sample;
import dev.vnet.onnx.OnnxExport;
import dev.vnet.onnx.proto.Onnx.ModelProto;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.classify.ClassifierCheckpoint;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every command line error is one line on stderr and a non-zero exit, never a stack trace. */
class CliTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        return run(new CommandLine(new Cli()), args);
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(cl, args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** A tiny untrained model: what the commands that read one need, in no time. */
    private Path tinyModel() throws IOException {
        Path model = tmp.resolve("tiny.safetensors");
        TrainConfig config = TinyData.config();
        Checkpoint.save(model, new VNet(config.model(), config.seed()), config, 1, 1, Double.NaN);
        return model;
    }

    /** {@code images} synthetic 96×64 smears in ALL-IDB1 layout. */
    private Path synth(String name, int images) {
        Path data = tmp.resolve(name);
        Run r = run("synth", "--out", data.toString(), "--images", Integer.toString(images), "--width", "96", "--height", "64");
        assertThat(r.code()).as(r.err()).isZero();
        return data;
    }

    private static Path firstImage(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("im"))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }

    private static void assertOneLineError(Run r, String... fragments) {
        assertThat(r.code()).as(r.err()).isNotZero();
        String e = r.err().strip();
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        assertThat(e).doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(e).contains(f);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"demo", "synth", "check", "preprocess", "masks", "train", "eval", "segment",
            "describe", "bench", "stats", "cv", "serve", "export"}) {
            Run r = run(c, "--help");
            assertThat(r.code()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Usage: vnet " + c);
        }
        assertThat(run("--help").out()).contains("demo", "segment");
    }

    @Test
    void serveRefusesOptionsOutOfRangeAndAMissingModelBeforeListening() throws java.io.IOException {
        Run port = run("serve", "--model", tmp.resolve("none.safetensors").toString(), "--port", "70000");
        assertThat(port.code()).isEqualTo(2);
        assertOneLineError(port, "--port must be 0 to 65535, got 70000");
        Run pixels = run("serve", "--model", tmp.resolve("none.safetensors").toString(), "--max-pixels", "0");
        assertThat(pixels.code()).isEqualTo(2);
        assertOneLineError(pixels, "--max-pixels must be 1 to 100000000, got 0");
        Run missing = run("serve", "--model", tmp.resolve("none.safetensors").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertOneLineError(missing, "none.safetensors does not exist");
        Path model = tmp.resolve("model.safetensors");
        Files.write(model, new byte[16]);
        Run noClassifier = run("serve", "--model", model.toString(), "--classifier", tmp.resolve("cls.safetensors")
                .toString());
        assertThat(noClassifier.code()).isEqualTo(1);
        assertOneLineError(noClassifier, "--classifier", "cls.safetensors does not exist");
    }

    @Test
    void versionIsTheBuildsAndDefaultsShowInHelp() {
        for (String[] args : new String[][] {{"--version"}, {"train", "--version"}}) {
            Run r = run(args);
            assertThat(r.code()).isZero();
            assertThat(r.out().strip()).as(String.join(" ", args)).matches("vnet \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
        assertThat(run("synth", "--help").out()).contains("Default: 40", "default 640");
    }

    @Test
    void aValueOutsideAChoiceIsAUsageErrorListingTheChoices() {
        Run preset = run("train", "--data", "x", "--out", "y", "--preset", "fast");
        assertThat(preset.code()).isEqualTo(2);
        assertOneLineError(preset, "--preset", "paper, recommended, demo", "fast");
        Run layout = run("describe", "--layout", "unet");
        assertThat(layout.code()).isEqualTo(2);
        assertOneLineError(layout, "--layout", "monai, paper");
        Run activation = run("describe", "--activation", "gelu");
        assertThat(activation.code()).isEqualTo(2);
        assertOneLineError(activation, "--activation", "relu, prelu, elu");
        assertThat(run("describe", "--activation", "PReLU", "--size", "32").code()).as("any case").isZero();
    }

    @Test
    void benchPrintsItsTimesAsJson() {
        Run r = run("bench", "--size", "32", "--batch", "1", "--repeats", "1", "--warmup", "0", "--threads", "1",
                "--no-conv");
        assertThat(r.code()).as(r.err()).isZero();
        var json = com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.get("train_step_ms").getAsDouble()).isPositive();
        assertThat(json.get("infer_ms").getAsDouble()).isPositive();
        assertThat(json.get("parameters").getAsLong()).isEqualTo(9_357_924L);
        assertThat(json.has("conv_gflops")).isFalse();
        assertThat(r.err()).contains("bench: training step, run 1/1");
        assertOneLineError(run("bench", "--size", "0"), "vnet bench", "--size");
        Run oneForAnEpoch = run("bench", "--no-step", "--no-conv", "--epoch", "1");
        assertThat(oneForAnEpoch.code()).isEqualTo(2);
        assertOneLineError(oneForAnEpoch, "--epoch must be 2 to 10000, got 1");
    }

    @Test
    void benchTimesTheDetectorOnAWholePhotographPhaseByPhase() throws IOException {
        // 1400×1000 px: 350×250 at the working scale, within one pass of 5 × 256² pixels: one tile of 352×256.
        Path photo = tmp.resolve("photo.png");
        ImageFiles.write(TinyData.samples(1, 1400, 1000, 9).get(0).load(), photo);
        Run r = run("bench", "--no-step", "--no-conv", "--repeats", "2", "--warmup", "0", "--threads", "1",
                "--photograph", photo.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.get("cpu_model").getAsString()).isNotBlank();
        assertThat(json.get("openblas_kernels").getAsString()).as("the kernels OpenBLAS runs").isNotBlank();
        JsonObject p = json.getAsJsonObject("photograph");
        assertThat(p.get("width").getAsInt()).isEqualTo(1400);
        assertThat(p.get("tiles").getAsInt()).isEqualTo(1);
        assertThat(p.get("forward_ms").getAsDouble()).isPositive();
        assertThat(p.get("total_ms").getAsDouble()).isGreaterThanOrEqualTo(p.get("forward_ms").getAsDouble()
                + p.get("resize_ms").getAsDouble());
        assertThat(r.err()).contains("bench: photograph 1400x1000, run 2/2");
        Run notADetector = run("bench", "--no-step", "--no-conv", "--photograph", tmp.resolve("none.png").toString());
        assertOneLineError(notADetector, "cannot read", "none.png");
    }

    @Test
    void wrongFlag() {
        assertOneLineError(run("describe", "--bogus"), "vnet describe", "--bogus");
        assertOneLineError(run("train", "--data", "x", "--out", "y", "--epochs", "many"), "--epochs");
        assertOneLineError(run("nosuchcommand"));
    }

    @Test
    void missingFolder() {
        Path none = tmp.resolve("none");
        assertOneLineError(run("train", "--data", none.toString(), "--out", tmp.resolve("run").toString()),
                none.toString());
        assertOneLineError(run("masks", "--data", none.toString(), "--out", tmp.resolve("m").toString()), none.toString());
        assertOneLineError(run("preprocess", none.toString(), tmp.resolve("o.png").toString()), none.toString());
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void unreadableOrWrongFiles() throws Exception {
        Path junk = tmp.resolve("junk.safetensors");
        Files.writeString(junk, "this is not a checkpoint");
        Path img = tmp.resolve("img.jpg");
        Files.writeString(img, "not a jpeg either");
        assertOneLineError(run("segment", "--model", junk.toString(), "--out", tmp.resolve("seg").toString(),
                img.toString()), "junk.safetensors");
        assertOneLineError(run("eval", "--model", tmp.resolve("missing.safetensors").toString(), "--data",
                tmp.toString()), "missing.safetensors");
        assertOneLineError(run("preprocess", img.toString(), tmp.resolve("out.png").toString(), "--gray"), "img.jpg");
        assertOneLineError(run("preprocess", img.toString(), tmp.resolve("out.png").toString(), "--resize", "12by4"),
                "--resize");
    }

    @Test
    void aFailedCommandLeavesWhatIsOnDisk() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "keep");
        assertOneLineError(run("synth", "--out", out.toString(), "--images", "2"), "not empty");
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("keep");
        assertThat(out.resolve("im")).doesNotExist();
    }

    @Test
    void synthImitatesACameraAndStatsMeasuresIt() throws Exception {
        Path data = tmp.resolve("camera");
        Run r = run("synth", "--out", data.toString(), "--images", "3", "--camera", "1712", "--scale", "0.125",
                "--label-noise", "0.2");
        assertThat(r.code()).as(r.err()).isZero();
        var image = dev.vnet.io.ImageFiles.readSize(firstImage(data));
        assertThat(image.width()).isEqualTo(214);
        assertThat(image.height()).isEqualTo(171);
        Run stats = run("stats", "--data", data.toString());
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("| images | 3: 3 of 214x171 |", "| blasts per ALL image |", "purple nuclei");
        Path crops = tmp.resolve("crops");
        assertThat(run("synth", "--out", crops.toString(), "--images", "2", "--camera", "2592", "--crops").code())
                .isZero();
        var scan = dev.vnet.io.allidb.AllIdb2Dataset.scan(crops);
        assertThat(scan.problems()).isEmpty();
        assertThat(scan.samples()).extracting(s -> s.id() + " " + s.width() + "x" + s.height())
                .containsExactly("Im001_1 257x257", "Im002_0 257x257");
        assertOneLineError(run("synth", "--out", tmp.resolve("x").toString(), "--crops"), "--camera");
        assertOneLineError(run("synth", "--out", tmp.resolve("y").toString(), "--camera", "1234"), "1234");
    }

    @Test
    void synthMasksPreprocessAndDescribeWork() throws Exception {
        Path data = tmp.resolve("data");
        assertThat(run("synth", "--out", data.toString(), "--images", "2", "--width", "96", "--height", "64").code()).isZero();
        assertThat(data.resolve("im")).isDirectory();
        Path masks = tmp.resolve("masks");
        assertThat(run("masks", "--data", data.toString(), "--out", masks.toString(), "--radius", "5", "--crop", "16")
                .code()).isZero();
        try (var s = Files.list(masks)) {
            assertThat(s.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(2);
        }
        Path first;
        try (var s = Files.list(data.resolve("im"))) {
            first = s.sorted().findFirst().orElseThrow();
        }
        Path pre = tmp.resolve("pre.png");
        Run r = run("preprocess", first.toString(), pre.toString(), "--gray", "--resize", "32x32", "--gaussian", "5",
                "--median", "3", "--clahe", "2:4:4");
        assertThat(r.code()).as(r.err()).isZero();
        var img = dev.vnet.io.ImageFiles.read(pre);
        assertThat(img.width()).isEqualTo(32);
        assertThat(img.channels()).isEqualTo(1);
    }

    @Command(name = "oom")
    static final class OutOfMemoryCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Command(name = "deep")
    static final class StackOverflowCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new StackOverflowError();
        }
    }

    @Test
    void anErrorIsOneLineAndExitCodeOneToo() {
        CommandLine cl = new CommandLine(new Cli()).addSubcommand(new OutOfMemoryCommand())
                .addSubcommand(new StackOverflowCommand());
        Run oom = run(cl, "oom");
        assertOneLineError(oom, "vnet oom: out of memory: Java heap space", "-Xmx");
        assertThat(oom.err()).as("advice only about options the command has").doesNotContain("--size", "--batch");
        assertThat(oom.code()).isEqualTo(1);
        Run deep = run(cl, "deep");
        assertOneLineError(deep, "vnet deep: StackOverflowError");
        assertThat(deep.code()).isEqualTo(1);
    }

    @Test
    void missingDataFolderOrInputImageWithAGoodModel() throws Exception {
        Path model = tinyModel();
        Path none = tmp.resolve("none");
        assertOneLineError(run("eval", "--model", model.toString(), "--data", none.toString()), none.toString());
        Path missing = tmp.resolve("missing.jpg");
        Path out = tmp.resolve("seg");
        assertOneLineError(run("segment", "--model", model.toString(), "--out", out.toString(), missing.toString()),
                "missing.jpg");
        assertThat(out).doesNotExist();
    }

    @Test
    void exportWritesTheCheckpointsModelAsOnnxAndReplacesNothing() throws Exception {
        Path model = tinyModel();
        Path onnx = tmp.resolve("out/tiny.onnx");
        Run r = run("export", "--model", model.toString(), "--onnx", onnx.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny.onnx", "image", "logits");
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertThat(m.getGraph().getInput(0).getName()).isEqualTo(OnnxExport.INPUT);
        assertThat(m.getMetadataPropsList()).anyMatch(p -> p.getKey().equals(OnnxExport.CONFIG_KEY)
                && TrainConfig.fromJson(p.getValue()).equals(TinyData.config()));
        long written = Files.getLastModifiedTime(onnx).toMillis();
        assertOneLineError(run("export", "--model", model.toString(), "--onnx", onnx.toString()), "tiny.onnx", "--force");
        assertThat(Files.getLastModifiedTime(onnx).toMillis()).isEqualTo(written);
        assertThat(run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--force").code()).isZero();
        assertOneLineError(run("export", "--model", tmp.resolve("none.safetensors").toString(), "--onnx",
                tmp.resolve("x.onnx").toString()), "none.safetensors");
        assertThat(tmp.resolve("x.onnx")).doesNotExist();
    }

    @Test
    void noCommandReplacesAnExistingOutput() throws Exception {
        Path model = tinyModel();
        Path data = synth("data", 2);
        Path image = firstImage(data);
        String name = image.getFileName().toString().replaceFirst("\\.jpg$", "");

        Path seg = tmp.resolve("seg");
        Files.createDirectories(seg);
        Path mask = seg.resolve(name + "_mask.png");
        Files.writeString(mask, "keep");
        assertOneLineError(run("segment", "--model", model.toString(), "--out", seg.toString(), image.toString()),
                mask.toString(), "--force");
        assertThat(Files.readString(mask)).isEqualTo("keep");
        assertThat(seg.resolve(name + ".xyc")).doesNotExist();
        Files.delete(mask);
        Path counts = seg.resolve("counts.csv");
        Files.writeString(counts, "keep");
        assertOneLineError(run("segment", "--model", model.toString(), "--out", seg.toString(), image.toString()),
                counts.toString());
        assertThat(Files.readString(counts)).isEqualTo("keep");

        Path json = tmp.resolve("eval.json");
        Files.writeString(json, "keep");
        assertOneLineError(run("eval", "--model", model.toString(), "--data", data.toString(), "--out", json.toString()),
                json.toString(), "--force");
        assertThat(Files.readString(json)).isEqualTo("keep");
        Path json2 = tmp.resolve("eval2.json");
        Path md2 = tmp.resolve("eval2.md");
        Files.writeString(md2, "keep");
        assertOneLineError(run("eval", "--model", model.toString(), "--data", data.toString(), "--out", json2.toString()),
                md2.toString(), "--force");
        assertThat(Files.readString(md2)).isEqualTo("keep");
        assertThat(json2).doesNotExist();

        Path pre = tmp.resolve("pre.png");
        Files.writeString(pre, "keep");
        assertOneLineError(run("preprocess", image.toString(), pre.toString(), "--gray"), pre.toString(), "--force");
        assertThat(Files.readString(pre)).isEqualTo("keep");

        Path masks = tmp.resolve("masks");
        Files.createDirectories(masks);
        Path note = masks.resolve("notes.txt");
        Files.writeString(note, "keep");
        assertOneLineError(run("masks", "--data", data.toString(), "--out", masks.toString()), masks.toString(), "--force");
        assertThat(Files.readString(note)).isEqualTo("keep");
        try (Stream<Path> s = Files.list(masks)) {
            assertThat(s.count()).isEqualTo(1);
        }

        Path runDir = tmp.resolve("run");
        Files.createDirectories(runDir);
        Path runNote = runDir.resolve("notes.txt");
        Files.writeString(runNote, "keep");
        assertOneLineError(run("train", "--data", data.toString(), "--out", runDir.toString(), "--preset", "demo"),
                runDir.toString(), "not empty");
        assertThat(Files.readString(runNote)).isEqualTo("keep");
        try (Stream<Path> s = Files.list(runDir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt",
                    FolderLock.FILE_NAME);
        }
    }

    @Test
    void twoInputsWithTheSameNameAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path model = tinyModel();
        Path image = firstImage(synth("data", 1));
        Path a = tmp.resolve("a").resolve("x.jpg");
        Path b = tmp.resolve("b").resolve("x.png");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        Files.copy(image, a);
        ImageFiles.write(ImageFiles.read(image), b);
        Path seg = tmp.resolve("seg");
        assertOneLineError(run("segment", "--model", model.toString(), "--out", seg.toString(), a.toString(), b.toString()),
                a.toString(), b.toString());
        assertThat(seg).doesNotExist();
        assertOneLineError(run("segment", "--model", model.toString(), "--out", seg.toString(), "--force", a.toString(),
                b.toString()), a.toString(), b.toString());
        assertThat(seg).doesNotExist();

        Path folder = tmp.resolve("both");
        Files.createDirectories(folder);
        Files.copy(a, folder.resolve("x.jpg"));
        Files.copy(b, folder.resolve("x.png"));
        Path pre = tmp.resolve("pre");
        assertOneLineError(run("preprocess", folder.toString(), pre.toString(), "--gray"),
                folder.resolve("x.jpg").toString(), folder.resolve("x.png").toString());
        assertThat(pre).doesNotExist();
    }

    @Test
    void segmentWritesTheCountOfEveryImageToCountsCsv() throws Exception {
        Path model = tinyModel();
        Path data = synth("data", 2);
        List<Path> images;
        try (Stream<Path> s = Files.list(data.resolve("im"))) {
            images = s.sorted().toList();
        }
        Path seg = tmp.resolve("seg");
        Run r = run("segment", "--model", model.toString(), "--out", seg.toString(), images.get(0).toString(),
                images.get(1).toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> csv = Files.readAllLines(seg.resolve("counts.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo("image,count,mask,overlay,xyc,cells,geojson");
        for (int i = 0; i < 2; i++) {
            String name = images.get(i).getFileName().toString().replaceFirst("\\.jpg$", "");
            String[] row = csv.get(i + 1).split(",");
            assertThat(row).containsExactly(images.get(i).toString(), row[1], name + "_mask.png", name + "_overlay.png",
                    name + ".xyc", name + "_cells.csv", name + ".geojson");
            int count = Integer.parseInt(row[1]);
            assertThat(XycParser.read(seg.resolve(name + ".xyc"))).hasSize(count);
            assertThat(Files.readAllLines(seg.resolve(name + "_cells.csv"))).hasSize(count + 1)
                    .first().isEqualTo("cell,x,y,score,area");
            JsonObject geo = JsonParser.parseString(Files.readString(seg.resolve(name + ".geojson"))).getAsJsonObject();
            assertThat(geo.get("type").getAsString()).isEqualTo("FeatureCollection");
            assertThat(geo.getAsJsonArray("features")).hasSize(count);
            assertThat(seg.resolve(name + "_mask.png")).isRegularFile();
            assertThat(seg.resolve(name + "_overlay.png")).isRegularFile();
        }
        try (Stream<Path> s = Files.list(seg)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".")))
                    .as("no temporary file left, only the lock file").containsExactly(seg.resolve(FolderLock.FILE_NAME));
        }
        Run again = run("segment", "--model", model.toString(), "--out", seg.toString(), "--force",
                images.get(1).toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readAllLines(seg.resolve("counts.csv"))).hasSize(2);

        // A folder stands for its images, sorted.
        Path fromFolder = tmp.resolve("seg-folder");
        Run folder = run("segment", "--model", model.toString(), "--out", fromFolder.toString(), "-q",
                data.resolve("im").toString());
        assertThat(folder.code()).as(folder.err()).isZero();
        List<String> rows = Files.readAllLines(fromFolder.resolve("counts.csv"));
        assertThat(rows.subList(1, rows.size())).extracting(line -> line.split(",")[0])
                .containsExactly(images.get(0).toString(), images.get(1).toString());
        assertThat(rows.subList(1, rows.size())).containsExactlyElementsOf(csv.subList(1, csv.size()));
    }

    @Test
    void evalOfADetectorWritesItsPerImageTableAndCurvesNextToTheReport() throws Exception {
        TrainConfig config = TinyData.detector(96);
        Path model = tmp.resolve("detector.safetensors");
        Checkpoint.save(model, new VNet(config.model(), config.seed()), config, 1, 1, Double.NaN);
        Path data = synth("data", 3);
        Path json = tmp.resolve("eval").resolve("eval.json");
        Run r = run("eval", "--model", model.toString(), "--data", data.toString(), "--out", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = Files.readAllLines(json.resolveSibling("detection_images.csv"));
        assertThat(rows.get(0)).startsWith("image,label,true_blasts,found,matched,missed,false_alarms");
        assertThat(rows).hasSize(4);
        for (String f : new String[] {"detection.json", "detection_pr.csv", "precision_recall.png", "roc.png", "eval.md"}) {
            assertThat(json.resolveSibling(f)).as(f).isRegularFile();
        }
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(report.has("touching_pairs_separated")).isTrue();
        assertOneLineError(run("eval", "--model", model.toString(), "--data", data.toString(), "--out",
                json.resolveSibling("again.json").toString()), "detection.json", "--force");

        Path withFigures = tmp.resolve("eval-figures").resolve("eval.json");
        r = run("eval", "--model", model.toString(), "--data", data.toString(), "--out", withFigures.toString(),
                "--figures");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> figs = Files.list(withFigures.resolveSibling("figures"))) {
            assertThat(figs.map(f -> f.getFileName().toString()).sorted().toList())
                    .as("a figure per evaluated image").hasSize(3).allMatch(n -> n.endsWith(".png"));
        }
        assertOneLineError(run("eval", "--model", model.toString(), "--data", data.toString(), "--figures"),
                "--figures needs --out");
    }

    @Test
    void aDataFolderWithOnlyBadImagesIsOneLineAndCheckListsEveryProblem() throws Exception {
        Path data = synth("bad", 7);
        try (Stream<Path> s = Files.list(data.resolve("xyc"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Run masks = run("masks", "--data", data.toString(), "--out", tmp.resolve("m").toString());
        assertOneLineError(masks, "no usable image in " + data, "7 problems", "has no coordinate file",
                "'vnet check --data " + data + "'");
        assertThat(tmp.resolve("m")).doesNotExist();

        Run check = run("check", "--data", data.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err().strip()).isEqualTo("vnet check: 0 usable image(s) and 7 problem(s) in " + data);
        assertThat(check.out().strip().lines()).hasSize(7).allSatisfy(l -> assertThat(l).contains("has no coordinate file"));

        Path good = synth("good", 2);
        Run clean = run("check", "--data", good.toString());
        assertThat(clean.code()).isZero();
        assertThat(clean.out().strip()).isEqualTo("2 usable image(s) and 0 problem(s) in " + good);
    }

    @Test
    void problemsInAFolderThatStillHasGoodImagesAreAShortWarning() throws Exception {
        Path data = synth("some", 7);
        try (Stream<Path> s = Files.list(data.resolve("xyc"))) {
            for (Path p : s.sorted().skip(1).toList()) {
                Files.delete(p);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Sample> samples = DataFolders.load(data, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        assertThat(samples).hasSize(1);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertThat(lines).hasSize(DataFolders.LISTED + 2);
        assertThat(lines.get(0)).isEqualTo("warning: 6 problem(s) in " + data + ", the affected images are skipped:");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("  ... and 1 more: 'vnet check --data " + data
                + "' lists them all");
        bytes.reset();
        DataFolders.load(data, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        assertThat(bytes.size()).as("quiet").isZero();
    }

    private static void assertUsageError(Run r, String... fragments) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertOneLineError(r, fragments);
    }

    @Test
    void everyOptionValueIsBoundedBeforeAnythingIsAllocatedOrWritten() throws Exception {
        Path data = synth("data", 2);
        int processors = Runtime.getRuntime().availableProcessors();
        String out = tmp.resolve("out").toString();
        for (String threads : new String[] {"100000", "2000", "0"}) {
            assertUsageError(run("train", "--data", data.toString(), "--out", out, "--threads", threads),
                    "--threads must be 1 to " + 4 * processors, "this machine has " + processors, threads);
            assertUsageError(run("demo", "--out", out, "--threads", threads), "--threads must be 1 to");
            assertUsageError(run("bench", "--threads", threads), "--threads must be 1 to");
        }
        assertUsageError(run("train", "--data", data.toString(), "--out", out, "--batch", "1000000000"), "--batch",
                "1000000000");
        assertUsageError(run("train", "--data", data.toString(), "--out", out, "--size", "100000"), "--size");
        assertUsageError(run("train", "--data", data.toString(), "--out", out, "--batch", "60000", "--size", "8192"),
                "Java heap", "-Xmx");
        assertUsageError(run("demo", "--out", out, "--epochs", "0"), "--epochs must be 1 to");
        assertUsageError(run("synth", "--out", out, "--width", "100000", "--height", "100000"), "100000");
        assertUsageError(run("masks", "--data", data.toString(), "--out", out, "--crop", "2147483647"), "--crop",
                "96×64");
        assertUsageError(run("masks", "--data", data.toString(), "--out", out, "--radius", "2147483647"), "--radius");
        Path image = firstImage(data);
        String png = tmp.resolve("out.png").toString();
        assertUsageError(run("preprocess", image.toString(), png, "--clahe", "2:100000:100000"), "--clahe TX");
        assertUsageError(run("preprocess", image.toString(), png, "--clahe", "2:200:8"), "--clahe TX", "96 pixels wide");
        assertUsageError(run("preprocess", image.toString(), png, "--median", "4"), "--median K", "odd");
        assertUsageError(run("bench", "--size", "100000"), "--size");
        assertThat(tmp.resolve("out")).as("nothing written").doesNotExist();
        assertThat(Path.of(png)).doesNotExist();
    }

    @Test
    void aThreadCountInASavedConfigurationIsBoundedOnResume() throws Exception {
        Path data = synth("data", 4);
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve("config.json"), TinyData.config().toBuilder().threads(100000).build().toJson());
        Run r = run("train", "--data", data.toString(), "--out", run.toString(), "--resume");
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "config.json", "threads must be 1 to", "100000");
    }

    /** A tiny training run on the command line: the demo preset at 32×32, 1 epoch, 1 thread. */
    private Run train(Path data, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
                out.toString(), "-q"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static final String[] TINY = {"--preset", "demo", "--size", "32", "--epochs", "1", "--batch", "2",
        "--threads", "1"};

    @Test
    void checkDecodesEveryImageAndTrainCreatesNoRunFolderWhenAnyImageIsBad() throws Exception {
        Path data = synth("cut", 3);
        Path image = firstImage(data);
        byte[] whole = Files.readAllBytes(image);
        Files.write(image, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run check = run("check", "--data", data.toString(), "-q");
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out().strip().lines()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains(image.getFileName().toString(), "the decoder warns", "truncated"));
        int problems = (int) check.out().strip().lines().count();
        assertThat(check.err().strip()).isEqualTo("vnet check: 2 usable image(s) and " + problems + " problem(s) in " + data);
        Path out = tmp.resolve("run");
        Run train = train(data, out, TINY);
        assertThat(train.code()).isEqualTo(1);
        assertOneLineError(train, problems + " problem(s) in " + data, image.getFileName().toString(), "truncated",
                "Nothing was written", "remove it", "vnet check --data " + data);
        assertThat(out).as("no run folder").doesNotExist();
    }

    @Test
    void checkReportsRepeatedPoints() throws Exception {
        Path data = synth("repeats", 2);
        Path xyc;
        try (Stream<Path> s = Files.list(data.resolve("xyc"))) {
            xyc = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(xyc, "10 20\n10 20\n30 40\n");
        Run check = run("check", "--data", data.toString(), "-q");
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains(xyc.getFileName().toString(), "(10, 20)");
    }

    @Test
    void aRunRecordsItsDataAndRefusesToResumeWithOthers() throws Exception {
        Path a = synth("a", 4);
        Path out = tmp.resolve("run");
        Run first = train(a, out, TINY);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Files.readString(out.resolve("data.sha256"))).contains("im/", "xyc/");
        String report = Files.readString(out.resolve("report.json"));

        Path b = tmp.resolve("b");
        Files.createDirectories(b.resolve("im"));
        Files.createDirectories(b.resolve("xyc"));
        for (String sub : new String[] {"im", "xyc"}) {
            try (Stream<Path> s = Files.list(a.resolve(sub))) {
                for (Path p : s.toList()) {
                    Files.copy(p, b.resolve(sub).resolve(p.getFileName()));
                }
            }
        }
        Path changed;
        try (Stream<Path> s = Files.list(b.resolve("xyc"))) {
            changed = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(changed, "10 20\n");
        Run resumed = train(b, out, "--resume");
        assertOneLineError(resumed, "cannot resume", "xyc/" + changed.getFileName(), "has changed");
        assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(report);
        Run same = train(a, out, "--resume");
        assertThat(same.code()).as(same.err()).isZero();
    }

    @Test
    void aRunStoppedBeforeItsFirstEpochIsNoDeadEnd() throws Exception {
        Path data = synth("data", 4);
        Path out = tmp.resolve("run");
        Files.createDirectories(out.resolve("checkpoints"));
        Files.writeString(out.resolve("config.json"), TrainConfig.demo().toBuilder().size(32).epochs(1).batchSize(2)
                .threads(1).build().toJson());
        Files.write(out.resolve("checkpoints/interrupted.safetensors"), new byte[8]);
        Run resumed = train(data, out, "--resume");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(out.resolve("checkpoints/interrupted.safetensors")).doesNotExist();
        assertThat(out.resolve("report.json")).isRegularFile();

        Path again = tmp.resolve("again");
        Files.createDirectories(again);
        Files.writeString(again.resolve("config.json"), Files.readString(out.resolve("config.json")));
        Run plain = train(data, again, TINY);
        assertThat(plain.code()).as(plain.err()).isZero();
    }

    /** A model, two images and an existing, empty output folder. */
    private record Segmenting(Path model, Path data, Path image, Path seg) {
        String[] segment() {
            return new String[] {"segment", "--model", model.toString(), "--out", seg.toString(), image.toString()};
        }
    }

    private Segmenting segmenting() throws IOException {
        Path data = synth("data", 2);
        Path seg = tmp.resolve("seg");
        Files.createDirectories(seg);
        return new Segmenting(tinyModel(), data, firstImage(data), seg);
    }

    @Test
    void oneCommandAtATimeWritesIntoAnOutputFolder() throws Exception {
        Segmenting g = segmenting();
        try (FolderLock other = FolderLock.acquire(g.seg(), "vnet segment")) {
            assertOneLineError(run(g.segment()),
                    g.seg() + " is in use by another command", "vnet segment");
            for (String[] args : new String[][] {{"masks", "--data", g.data().toString(), "--out", g.seg().toString()},
                {"synth", "--out", g.seg().toString(), "--images", "2"}, {"demo", "--out", g.seg().toString()}}) {
                assertOneLineError(run(args), "is in use by another command");
            }
        }
        try (Stream<Path> s = Files.list(g.seg())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(FolderLock.FILE_NAME);
        }
        Run r = run(g.segment());
        assertThat(r.code()).as("the lock file alone is no obstacle: " + r.err()).isZero();
        Run masks = run("masks", "--data", g.data().toString(), "--out", tmp.resolve("masks").toString());
        assertThat(masks.code()).as(masks.err()).isZero();
        assertThat(run("masks", "--data", g.data().toString(), "--out", tmp.resolve("masks").toString()).code())
                .as("a second run into a written folder still needs --force").isEqualTo(1);
    }

    @Test
    void aLinkToNowhereIsNotReplacedWithoutForce() throws Exception {
        Segmenting g = segmenting();
        String name = g.image().getFileName().toString().replaceFirst("\\.jpg$", "");
        Path link = g.seg().resolve(name + "_mask.png");
        Files.createSymbolicLink(link, tmp.resolve("nowhere.png"));
        assertOneLineError(run(g.segment()),
                link.toString(), "a link to nowhere", "--force");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        Path outLink = tmp.resolve("synth-out");
        Files.createSymbolicLink(outLink, tmp.resolve("nowhere"));
        assertOneLineError(run("synth", "--out", outLink.toString(), "--images", "2"), "a link to nowhere");
        assertThat(Files.isSymbolicLink(outLink)).isTrue();
    }

    @Test
    void messagesSayNothingMeantForProgrammers() throws Exception {
        assertThat(Cli.message(new java.io.UncheckedIOException(new IOException(new IOException("No space left on device")))))
                .isEqualTo("No space left on device");
        Path data = synth("data", 2);
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"epochs\": 3,, oops");
        Run r = run("train", "--data", data.toString(), "--out", run.toString(), "--resume");
        assertOneLineError(r, "config.json");
        assertThat(r.err()).doesNotContain("java.").doesNotContain("gson").doesNotContain("JsonReader");
    }

    @Test
    void evalPrintsNoLossItDidNotCompute() throws Exception {
        Path model = tinyModel();
        Path data = synth("data", 2);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        Run r;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            r = run("eval", "--model", model.toString(), "--data", data.toString(), "--out",
                    tmp.resolve("eval.json").toString());
        } finally {
            System.setOut(saved);
        }
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("dice ").doesNotContain("NaN")
                .doesNotContain("loss");
        assertThat(Files.readString(tmp.resolve("eval.md"))).doesNotContain("NaN");
    }

    /** The command line in a JVM of its own, its stderr in {@code err}. */
    private static Process vnetProcess(Path err, String... args) throws IOException {
        String javaCommand = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(javaCommand, "-Xmx512m", "-cp", classPath,
                Cli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    @Test
    void aSigtermDuringTrainingExits130WithOneLineSayingWhatWasSaved() throws Exception {
        Path data = synth("data", 4);
        Path out = tmp.resolve("run");
        Path err = tmp.resolve("stderr.txt");
        Process p = vnetProcess(err, "train", "--data", data.toString(), "--out", out.toString(), "-q", "--preset",
                "demo", "--size", "32", "--epochs", "1000", "--batch", "2", "--threads", "1");
        // Signalled while an epoch's checkpoints are written, if the run gets there within a minute.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && !Files.exists(out.resolve(".checkpoints.new.tmp")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(130);
        assertThat(Files.readAllLines(err)).singleElement().asString().startsWith("interrupted ").contains("--resume");
        assertThat(out.resolve("checkpoints/interrupted.safetensors")).isRegularFile();
    }

    @Test
    void aSigtermDuringClassifierTrainingExits130WithOneLineSayingWhatWasSaved() throws Exception {
        Path data = tmp.resolve("crops");
        Run crops = run("synth", "--out", data.toString(), "--images", "12", "--camera", "2592", "--scale", "0.25",
                "--crops");
        assertThat(crops.code()).as(crops.err()).isZero();
        Path out = tmp.resolve("classifier");
        Path err = tmp.resolve("stderr.txt");
        Process p = vnetProcess(err, "classify", "train", "--data", data.toString(), "--out", out.toString(), "-q",
                "--size", "32", "--width", "4", "--epochs", "100000", "--threads", "1");
        // Signalled after the first epoch is saved, if the run gets there within a minute.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && !Files.exists(out.resolve("checkpoints/last.safetensors"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(130);
        Path saved = out.resolve("checkpoints/interrupted.safetensors");
        assertThat(Files.readAllLines(err)).singleElement().asString().startsWith("interrupted ")
                .contains(saved.toString(), "--resume");
        assertThat(ClassifierCheckpoint.load(saved).epoch()).isPositive();
    }

    @Test
    void aSigintOrSigtermExits130WithOneLineAndNoTemporaryFile() throws Exception {
        // A process started with SIGINT ignored (a shell's background job without job control) passes that on to its
        // children, and a JVM cannot take back an ignored SIGINT: then only SIGTERM can reach the command.
        List<String> signals = sigintIgnoredHere() ? List.of("TERM") : List.of("INT", "TERM");
        for (String signal : signals) {
            Path out = tmp.resolve("synth-" + signal);
            Path err = tmp.resolve("stderr-" + signal + ".txt");
            Process p = vnetProcess(err, "synth", "--out", out.toString(), "--images", "100000", "--width", "96",
                    "--height", "64");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && !hasFiles(out.resolve("im")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(p.isAlive()).as("synth runs: " + Files.readString(err)).isTrue();
            assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(signal + ": " + Files.readString(err)).isEqualTo(130);
            assertThat(Files.readAllLines(err)).as(signal).singleElement().asString()
                    .startsWith("vnet synth: interrupted by SIG" + signal).contains("run the command again", "--force");
            try (Stream<Path> s = Files.walk(out)) {
                assertThat(s.map(f -> f.getFileName().toString())).as(signal).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    /** Whether this process ignores SIGINT (signal 2: bit 1 of the SigIgn mask in /proc/self/status). */
    private static boolean sigintIgnoredHere() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    private static boolean hasFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }
}
