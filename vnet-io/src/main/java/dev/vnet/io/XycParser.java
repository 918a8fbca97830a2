package dev.vnet.io;

import dev.vnet.ops.Point;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ALL-IDB1's {@code .xyc} files: one blast-cell centre per line, {@code x<TAB>y}, whole numbers,
 * {@code x} the column and {@code y} the row of the stored pixel grid, origin top-left.
 *
 * <p>Accepted, because real copies of the data set contain them: tabs or spaces (any number) between and around
 * the two numbers; LF or CRLF line ends; a UTF-8 byte order mark at the start; blank lines (anywhere, typically
 * trailing); leading zeros; an empty (0-byte) file or a file holding only a newline, which both mean no cells.
 *
 * <p>Refused with an {@link XycFormatException} naming the file, the line and its text: a token that is not a
 * whole number of decimal digits (a sign, a decimal point, letters, any non-ASCII character); a line with one
 * number or with more than two; a negative number; a number beyond 999,999,999; a carriage return not followed by
 * a line feed; and, when the image size is given, a coordinate outside the image ({@code x >= width} or
 * {@code y >= height}). A file of more than {@value #MAX_FILE_BYTES} bytes is refused without reading it.
 */
public final class XycParser {
    /** Larger files are refused: a real file holds at most a few hundred short lines. */
    public static final int MAX_FILE_BYTES = 16 << 20;

    private static final int MAX_DIGITS = 9;
    private static final int MAX_TEXT = 80;

    private XycParser() {}

    /**
     * Reads a file without checking coordinates against an image size.
     *
     * @param file the {@code .xyc} file
     * @return the points, in file order
     * @throws IOException if a file cannot be read or written
     */
    public static List<Point> read(Path file) throws IOException {
        return read(file, -1, -1);
    }

    /**
     * Reads a file, checking that every point lies inside an image of {@code imageWidth × imageHeight}.
     *
     * @param file        the {@code .xyc} file
     * @param imageWidth  the image width, or -1 to skip the check
     * @param imageHeight the image height, or -1 to skip the check
     * @return the points, in file order
     * @throws XycFormatException if the content does not follow the format
     * @throws IOException        naming the file if it is missing, unreadable or too large
     */
    public static List<Point> read(Path file, int imageWidth, int imageHeight) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "coordinate file does not exist");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new XycFormatException(file.toString(), -1, "", "file is larger than " + MAX_FILE_BYTES
                    + " bytes: not a coordinate file");
        }
        return parse(bytes, file.toString(), imageWidth, imageHeight);
    }

    /**
     * Parses {@code content} without an image-size check; {@code source} names it in errors.
     *
     * @param content the file's bytes
     * @param source  names the content in errors
     * @return the points, in file order
     * @throws XycFormatException naming the source and line if the content is not a valid {@code .xyc} file
     */
    public static List<Point> parse(byte[] content, String source) throws XycFormatException {
        return parse(content, source, -1, -1);
    }

    /**
     * Parses the bytes of a {@code .xyc} file.
     *
     * @param content     the file's bytes
     * @param source      names the content in error messages (usually the file path)
     * @param imageWidth  the image width, or -1 to skip the check
     * @param imageHeight the image height, or -1 to skip the check
     * @return the points, in file order
     * @throws XycFormatException if the content does not follow the format
     */
    public static List<Point> parse(byte[] content, String source, int imageWidth, int imageHeight)
            throws XycFormatException {
        List<Point> points = new ArrayList<>();
        int pos = 0;
        int n = content.length;
        if (n >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB && (content[2] & 0xFF) == 0xBF) {
            pos = 3;
        }
        int lineNo = 0;
        long[] numbers = new long[2];
        while (pos < n) {
            lineNo++;
            int start = pos;
            int end = pos;
            while (end < n && content[end] != '\n') {
                end++;
            }
            pos = end + 1;
            int stop = end;
            if (stop > start && content[stop - 1] == '\r') {
                stop--;
            }
            int count = 0;
            int i = start;
            while (i < stop) {
                byte c = content[i];
                if (c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                int tokenStart = i;
                while (i < stop && content[i] != ' ' && content[i] != '\t') {
                    i++;
                }
                long value = number(content, tokenStart, i, source, lineNo, start, stop);
                if (count == 2) {
                    throw error(source, lineNo, content, start, stop,
                            "more than two numbers; expected 'x<TAB>y'");
                }
                numbers[count++] = value;
            }
            if (count == 0) {
                continue;
            }
            if (count == 1) {
                throw error(source, lineNo, content, start, stop, "only one number; expected 'x<TAB>y'");
            }
            int x = (int) numbers[0];
            int y = (int) numbers[1];
            if (imageWidth >= 0 && imageHeight >= 0 && (x >= imageWidth || y >= imageHeight)) {
                throw error(source, lineNo, content, start, stop, "point (" + x + ", " + y
                        + ") is outside the " + imageWidth + "x" + imageHeight + " image; expected x < "
                        + imageWidth + " and y < " + imageHeight);
            }
            points.add(new Point(x, y));
        }
        return points;
    }

    private static long number(byte[] s, int from, int to, String source, int lineNo, int lineStart, int lineStop)
            throws XycFormatException {
        if (s[from] == '-' && to - from > 1 && allDigits(s, from + 1, to)) {
            throw error(source, lineNo, s, lineStart, lineStop, "negative coordinate '"
                    + text(s, from, to) + "'; expected a number >= 0");
        }
        if (!allDigits(s, from, to)) {
            String reason = "'" + text(s, from, to) + "' is not a whole number";
            for (int i = from; i < to; i++) {
                if (s[i] == '\r') {
                    reason = "a carriage return not followed by a line feed";
                    break;
                }
            }
            throw error(source, lineNo, s, lineStart, lineStop, reason + "; expected 'x<TAB>y' with decimal digits only");
        }
        int first = from;
        while (first < to - 1 && s[first] == '0') {
            first++;
        }
        if (to - first > MAX_DIGITS) {
            throw error(source, lineNo, s, lineStart, lineStop, "number '" + text(s, from, to)
                    + "' is too large for a pixel coordinate");
        }
        long v = 0;
        for (int i = first; i < to; i++) {
            v = v * 10 + (s[i] - '0');
        }
        return v;
    }

    private static boolean allDigits(byte[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static XycFormatException error(String source, int lineNo, byte[] s, int from, int to, String reason) {
        return new XycFormatException(source, lineNo, text(s, from, to), reason);
    }

    // The line as printable text: shortened, control characters and non-ASCII bytes shown as escapes.
    private static String text(byte[] s, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to && b.length() < MAX_TEXT; i++) {
            int c = s[i] & 0xFF;
            if (c == '\t') {
                b.append("\\t");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c >= 0x7F) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        if (b.length() >= MAX_TEXT && to - from > MAX_TEXT) {
            b.append("...");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code points} as a {@code .xyc} file, atomically: one {@code x<TAB>y} line per point, each ended by
     * LF. No points give an empty (0-byte) file.
     *
     * @param points the points
     * @param file   the file to write
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if a point has a negative coordinate, which the format cannot hold
     */
    public static void write(List<Point> points, Path file) throws IOException {
        AtomicFiles.write(file, format(points));
    }

    /**
     * {@return the bytes {@link #write} writes}
     *
     * @param points the points
     * @throws IllegalArgumentException if a point has a negative coordinate, which the format cannot hold
     */
    public static byte[] format(List<Point> points) {
        StringBuilder b = new StringBuilder(points.size() * 10);
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p.x() < 0 || p.y() < 0) {
                throw new IllegalArgumentException(".xyc point " + i + " is " + p
                        + ": coordinates must be 0 or more");
            }
            b.append(p.x()).append('\t').append(p.y()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
