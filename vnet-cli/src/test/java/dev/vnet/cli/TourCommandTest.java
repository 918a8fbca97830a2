package dev.vnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnet tour}'s refusals; the tour itself is run by SmearTourTest and, as docs/tour.md shows it, TourDocTest. */
class TourCommandTest {
    @TempDir
    Path tmp;

    private String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expectedCode);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void valuesOutOfRangeAreUsageErrorsBeforeAnythingIsWritten() {
        Path out = tmp.resolve("out");
        assertThat(run(2, "tour", "--out", out.toString(), "--steps", "-1")[1]).contains("--steps").contains("-1");
        assertThat(run(2, "tour", "--out", out.toString(), "--radius", "0")[1]).contains("--radius").contains("0");
        assertThat(run(2, "tour", "--out", out.toString(), "--threads", "0")[1]).contains("--threads");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingImageOrCentresFileIsNamed() throws Exception {
        Path out = tmp.resolve("out");
        assertThat(run(1, "tour", tmp.resolve("none.jpg").toString(), "--out", out.toString())[1])
                .contains("none.jpg").contains("does not exist");
        Path image = Files.writeString(tmp.resolve("a.jpg"), "x");
        assertThat(run(1, "tour", image.toString(), "--centres", tmp.resolve("none.xyc").toString(), "--out",
                out.toString())[1]).contains("none.xyc").contains("does not exist");
        assertThat(out).doesNotExist();
    }
}
