package dev.vnet.io;

import java.io.IOException;

/**
 * A {@code .xyc} coordinate file that does not follow the format (see {@link XycParser}): the message names the
 * file, the line number (1-based) and the offending text, and says what was expected.
 */
public final class XycFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file (or source) name. */
    private final String file;
    /** The 1-based line number, or -1. */
    private final int line;
    /** The offending line's text, or "". */
    private final String text;
    /** What is wrong, without the file and line. */
    private final String reason;

    /**
     * @param file   the file (or other source) name
     * @param line   1-based line number, or -1 if the problem is not on one line
     * @param text   the offending line's text (may be shortened), or "" if none
     * @param reason what is wrong and what was expected
     */
    public XycFormatException(String file, int line, String text, String reason) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason
                + (text.isEmpty() ? "" : " (line text: '" + text + "')"));
        this.file = file;
        this.line = line;
        this.text = text;
        this.reason = reason;
    }

    /** {@return the file (or source) name} */
    public String file() {
        return file;
    }

    /** {@return the 1-based line number, or -1} */
    public int line() {
        return line;
    }

    /** {@return the offending line's text (possibly shortened, control characters escaped), or ""} */
    public String text() {
        return text;
    }

    /** {@return what is wrong, without the file and line} */
    public String reason() {
        return reason;
    }
}
