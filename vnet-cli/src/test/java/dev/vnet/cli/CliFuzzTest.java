package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fuzzes the whole command line: a command, then options and values drawn from what users write (edge numbers,
 * real small files, missing and junk files, words). Every input ends with exit code 0, 1 or 2, and a failure is
 * one line on stderr without a stack trace. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/vnet/cli/CliFuzzTestInputs/commandLine/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 * The commands that train, time or run a model ({@code train}, {@code demo}, {@code bench}, {@code tour}) are left
 * out: their runs take seconds to minutes, and CliTest and TourCommandTest cover their options' bounds.
 */
class CliFuzzTest {
    private static final String[] COMMANDS = {"check", "masks", "preprocess", "segment", "eval", "describe", "synth",
        "stats", "help"};
    private static final String[] OPTIONS = {"--data", "--out", "--model", "--force", "--radius", "--crop", "--gray",
        "--resize", "--gaussian", "--median", "--clahe", "--width", "--height", "--seed", "--camera", "--scale",
        "--label-noise", "--crops", "--size", "--in-channels", "--base-width", "--activation", "--layout", "--png",
        "-q", "--help", "--version", "--threads", "--bogus", "--"};
    private static final String[] NUMBERS = {"-1", "0", "1", "2", "3", "16", "25", "32", "50", "2147483647",
        "-2147483648", "100000", "9999999999", "0.5", "NaN", "1e309", "2:8:8", "2:100000:100000", "5:0", "96x64",
        "0x0", "abc", "", "2592", "1712"};
    private static final AtomicInteger OUTPUTS = new AtomicInteger();

    private static Path root;
    private static Path data;
    private static Path model;
    private static Path image;

    private static synchronized void files() throws IOException {
        if (root != null) {
            return;
        }
        root = Files.createTempDirectory("vnet-cli-fuzz");
        data = root.resolve("data");
        int code = Cli.run(new String[] {"synth", "--out", data.toString(), "--images", "2", "--width", "96", "--height",
            "64"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        try (Stream<Path> s = Files.list(data.resolve("im"))) {
            image = s.sorted().findFirst().orElseThrow();
        }
        model = root.resolve("tiny.safetensors");
        TrainConfig config = TinyData.config();
        Checkpoint.save(model, new VNet(config.model(), config.seed()), config, 1, 1, Double.NaN);
        Files.writeString(root.resolve("junk.safetensors"), "not a checkpoint");
    }

    private static String path(FuzzedDataProvider in) {
        return switch (in.consumeInt(0, 7)) {
            case 0 -> data.toString();
            case 1 -> model.toString();
            case 2 -> image.toString();
            case 3 -> root.resolve("junk.safetensors").toString();
            case 4 -> root.resolve("missing").toString();
            case 5 -> root.resolve("out-" + OUTPUTS.incrementAndGet()).toString();
            case 6 -> root.resolve("out-" + OUTPUTS.incrementAndGet() + ".png").toString();
            default -> in.consumeString(40);
        };
    }

    @FuzzTest(maxDuration = "120s")
    void commandLine(FuzzedDataProvider in) throws IOException {
        files();
        List<String> args = new ArrayList<>();
        args.add(in.pickValue(COMMANDS));
        int n = in.consumeInt(0, 8);
        for (int i = 0; i < n && in.remainingBytes() > 0; i++) {
            switch (in.consumeInt(0, 3)) {
                case 0 -> args.add(in.pickValue(OPTIONS));
                case 1 -> args.add(in.pickValue(NUMBERS));
                case 2 -> args.add(path(in));
                default -> {
                    args.add(in.pickValue(OPTIONS));
                    args.add(in.consumeBoolean() ? in.pickValue(NUMBERS) : path(in));
                }
            }
        }
        String[] line = args.toArray(String[]::new);
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> check(line));
        } else {
            check(line);
        }
    }

    private static void check(String[] line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(line, new PrintWriter(out, true), new PrintWriter(err, true));
        String as = String.join(" ", line) + " -> " + code + ": " + err;
        assertThat(code).as(as).isIn(0, 1, 2);
        if (code != 0) {
            String e = err.toString().strip();
            assertThat(e.lines().count()).as(as).isEqualTo(1);
            assertThat(e).as(as).doesNotContain("\tat ").doesNotContain("Exception:");
        }
    }
}
