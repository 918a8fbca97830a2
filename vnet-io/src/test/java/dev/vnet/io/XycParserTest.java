package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class XycParserTest {
    @TempDir
    Path dir;

    private static List<Point> parse(String s) throws XycFormatException {
        return XycParser.parse(s.getBytes(StandardCharsets.UTF_8), "t.xyc");
    }

    private static XycFormatException failure(String content, int w, int h) {
        return catchThrowableOfType(XycFormatException.class,
                () -> XycParser.parse(content.getBytes(StandardCharsets.UTF_8), "Im007_1.xyc", w, h));
    }

    @Test
    void readsTabSeparatedLines() throws IOException {
        assertThat(parse("1043\t812\n77\t1900\n")).containsExactly(new Point(1043, 812), new Point(77, 1900));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "12\t34\n56\t78\n", // LF
        "12\t34\r\n56\t78\r\n", // CRLF
        "\uFEFF12\t34\n56\t78", // BOM, no final newline
        "12 34\n56    78\n", // spaces
        " \t12 \t 34\t \n56\t78\t\r\n", // leading and trailing blanks
        "12\t34\n56\t78\n\n\n", // trailing blank lines
        "12\t34\r\n\r\n56\t78\r\n\r\n \t\r\n", // blank lines with CRLF and blanks
        "012\t0034\n56\t78\n", // leading zeros
    })
    void acceptsTheVariantsFoundInRealCopies(String content) throws IOException {
        assertThat(parse(content)).containsExactly(new Point(12, 34), new Point(56, 78));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n", "\uFEFF", "\uFEFF\n", "\n\n", " \t\n"})
    void emptyAndSingleNewlineFilesHoldNoPoints(String content) throws IOException {
        assertThat(parse(content)).isEmpty();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("10\t20\n30\tabc\n", 2, "'abc' is not a whole number", "30\\tabc"),
                Arguments.of("10\t20\n1.5\t7\n", 2, "'1.5' is not a whole number", "1.5\\t7"),
                Arguments.of("10\t20\n+3\t7\n", 2, "'+3' is not a whole number", "+3\\t7"),
                Arguments.of("10,20\n", 1, "'10,20' is not a whole number", "10,20"),
                Arguments.of("10\n", 1, "only one number", "10"),
                Arguments.of("10\t20\t30\n", 1, "more than two numbers", "10\\t20\\t30"),
                Arguments.of("1\t2\n-5\t7\n", 2, "negative coordinate '-5'", "-5\\t7"),
                Arguments.of("1\t2\r3\t4\n", 1, "carriage return not followed by a line feed", "1\\t2\\r3\\t4"),
                Arguments.of("1234567890\t1\n", 1, "too large", "1234567890\\t1"),
                Arguments.of("1\t2\n\n\n7\t9x\n", 4, "'9x' is not a whole number", "7\\t9x"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void refusesBadLinesNamingFileLineAndText(String content, int line, String reason, String text) {
        XycFormatException e = failure(content, -1, -1);
        assertThat(e).as(content).isNotNull();
        assertThat(e.file()).isEqualTo("Im007_1.xyc");
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.reason()).contains(reason);
        assertThat(e.text()).isEqualTo(text);
        assertThat(e.getMessage()).startsWith("Im007_1.xyc line " + line + ": ").contains(reason);
    }

    @Test
    void refusesNonAsciiBytesAndShowsThemEscaped() {
        XycFormatException e = failure("12\t3\u00B5\n", -1, -1);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.text()).isEqualTo("12\\t3\\xc2\\xb5");
        // A BOM anywhere but the start is not accepted.
        assertThat(failure("1\t2\n\uFEFF3\t4\n", -1, -1).line()).isEqualTo(2);
    }

    @Test
    void checksPointsAgainstTheImageSize() throws IOException {
        assertThat(XycParser.parse("0\t0\n99\t49\n".getBytes(StandardCharsets.US_ASCII), "f", 100, 50))
                .containsExactly(new Point(0, 0), new Point(99, 49));
        XycFormatException x = failure("5\t5\n100\t10\n", 100, 50);
        assertThat(x.line()).isEqualTo(2);
        assertThat(x.reason()).contains("outside the 100x50 image").contains("(100, 10)");
        XycFormatException y = failure("5\t50\n", 100, 50);
        assertThat(y.line()).isEqualTo(1);
        assertThat(y.reason()).contains("y < 50");
    }

    @Test
    void roundTripsThroughFiles() throws IOException {
        Random r = new Random(1);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            points.add(new Point(r.nextInt(2592), r.nextInt(1944)));
        }
        Path f = dir.resolve("Im001_1.xyc");
        XycParser.write(points, f);
        assertThat(Files.readString(f)).startsWith(points.get(0).x() + "\t" + points.get(0).y() + "\n")
                .doesNotContain("\r");
        assertThat(XycParser.read(f, 2592, 1944)).isEqualTo(points);

        Path empty = dir.resolve("Im002_0.xyc");
        XycParser.write(List.of(), empty);
        assertThat(Files.size(empty)).isZero();
        assertThat(XycParser.read(empty)).isEmpty();
    }

    @Test
    void writingANegativeCoordinateIsRefused() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> XycParser.format(List.of(new Point(3, 4), new Point(-1, 7)))))
                .hasMessageContaining("point 1").hasMessageContaining("(-1, 7)").hasMessageContaining("0 or more");
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path missing = dir.resolve("nope.xyc");
        assertThat(catchThrowableOfType(NoSuchFileException.class, () -> XycParser.read(missing)))
                .hasMessageContaining(missing.toString());
        Path bad = dir.resolve("bad.xyc");
        Files.writeString(bad, "1\t2\nthree\t4\n");
        XycFormatException e = catchThrowableOfType(XycFormatException.class, () -> XycParser.read(bad));
        assertThat(e.file()).isEqualTo(bad.toString());
        assertThat(e.getMessage()).contains(bad + " line 2");
    }
}
