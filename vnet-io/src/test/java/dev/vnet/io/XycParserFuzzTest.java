package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vnet.ops.Point;
import java.time.Duration;
import java.util.List;

/**
 * Fuzzes the {@code .xyc} parser. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/vnet/io/XycParserFuzzTestInputs/parse/} (regression mode); with
 * {@code JAZZER_FUZZ=1} it fuzzes. The only exception allowed is {@link XycFormatException}, naming the source
 * and a line; what parses must lie inside the image and survive a write/parse round trip.
 */
class XycParserFuzzTest {
    private static final int WIDTH = 2592;
    private static final int HEIGHT = 1944;

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        // In regression mode each input must finish in bounded time; when fuzzing, Jazzer watches for hangs itself
        // (and a timeout around the whole fuzzing run would stop it).
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(data));
        } else {
            check(data);
        }
    }

    private static void check(byte[] data) {
        List<Point> unchecked;
        try {
            unchecked = XycParser.parse(data, "fuzz.xyc");
        } catch (XycFormatException e) {
            assertThat(e.file()).isEqualTo("fuzz.xyc");
            assertThat(e.line()).isBetween(1, data.length + 1);
            assertThat(e.getMessage()).startsWith("fuzz.xyc line " + e.line() + ": ");
            return;
        }
        assertThat(unchecked.size()).isLessThanOrEqualTo(data.length / 3);
        try {
            List<Point> inImage = XycParser.parse(data, "fuzz.xyc", WIDTH, HEIGHT);
            assertThat(inImage).isEqualTo(unchecked);
            assertThat(inImage).allMatch(p -> p.x() < WIDTH && p.y() < HEIGHT);
        } catch (XycFormatException e) {
            assertThat(e.reason()).contains("outside");
        }
        try {
            assertThat(XycParser.parse(XycParser.format(unchecked), "round trip")).isEqualTo(unchecked);
        } catch (XycFormatException e) {
            throw new AssertionError("re-parsing the written points failed", e);
        }
    }
}
