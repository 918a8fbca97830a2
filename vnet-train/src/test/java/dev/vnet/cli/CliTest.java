package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command line error is one line on stderr and a non-zero exit, never a stack trace. */
class CliTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
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
        for (String c : new String[] {"demo", "synth", "preprocess", "masks", "train", "eval", "segment", "describe"}) {
            Run r = run(c, "--help");
            assertThat(r.code()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Usage: vnet " + c);
        }
        assertThat(run("--help").out()).contains("demo", "segment");
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
}
