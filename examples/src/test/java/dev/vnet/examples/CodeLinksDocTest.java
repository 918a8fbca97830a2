package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Links from the docs into the code with a line anchor, such as
 * {@code [`Tensor.result(...)`](../vnet-core/.../Tensor.java#L137-L162)}, point at the code they name, so that they
 * fail here instead of going stale when the file changes.
 *
 * <p>The rule, for every such link in {@code docs/*.md} and {@code README.md}:
 * <ol>
 *   <li>The link text names the code in its first {@code `code span`}. The <em>symbol</em> is the last part of the
 *       first (dotted) Java name in it: {@code `Tensor.result(op, …)`} names {@code result}, {@code `Pipeline`'s
 *       Javadoc} names {@code Pipeline}.</li>
 *   <li>If the text says {@code lines A–B}, A and B are the anchor's numbers.</li>
 *   <li>The range <b>starts at the symbol</b>: its first line that is not comment or annotation contains the symbol as
 *       a word (outside comments and string literals), and the range does not start inside a comment that began
 *       above it (it may start at a Javadoc, not in the middle of one). A range of comment lines only must have the
 *       symbol on its first line.</li>
 *   <li>The range <b>ends where the code does</b>: it closes every brace it opens and no brace it did not open, its
 *       last line is not blank, and it does not end inside a comment unless it is all comment.</li>
 * </ol>
 * A link one line off fails: shifted up, it starts on a blank line, a closing brace or the end of the previous
 * member; shifted down, its first code line no longer names the symbol, or it ends on a blank line or a brace it did
 * not open. On failure the message lists where the symbol is declared, with the range to use.
 */
class CodeLinksDocTest {
    private static final Pattern LINK = Pattern.compile(
            "\\[((?:[^\\[\\]]++|\\[[^\\]]*+\\])*+)\\]\\(([^)#\\s]+)#L(\\d+)(?:-L(\\d+))?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");
    private static final Pattern LINES = Pattern.compile("lines (\\d+)[–-](\\d+)");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\(.*\\))?");

    @Test
    void everyLineAnchoredLinkPointsAtTheCodeItNames() throws IOException {
        Path root = RepoDocs.root();
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        pages.add(root.resolve("README.md"));
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(RepoDocs.read(page));
            while (m.find()) {
                links++;
                int from = Integer.parseInt(m.group(3));
                int to = m.group(4) == null ? from : Integer.parseInt(m.group(4));
                String problem = check(page.getParent().resolve(m.group(2)).normalize(), m.group(1), from, to);
                if (problem != null) {
                    problems.add(root.relativize(page) + ": " + m.group() + "\n    " + problem);
                }
            }
        }
        assertThat(links).as("line-anchored links found in docs/").isGreaterThanOrEqualTo(30);
        assertThat(problems).as("links whose line anchor does not point at the code they name").isEmpty();
    }

    @Test
    void theRuleCatchesALinkOneLineOff() {
        Path tensor = RepoDocs.root().resolve("vnet-core/src/main/java/dev/vnet/core/tensor/Tensor.java");
        List<JavaLine> lines = JavaLine.parse(RepoDocs.read(tensor));
        int decl = declarations(lines, "zeros").get(0);
        int start = commentStart(lines, decl);
        int end = blockEnd(lines, decl);
        assertThat(check(tensor, "`Tensor.zeros`", start, end)).isNull();
        assertThat(check(tensor, "`Tensor.zeros`", decl, end)).isNull();
        assertThat(check(tensor, "`Tensor.zeros`", start - 1, end - 1)).isNotNull();
        assertThat(check(tensor, "`Tensor.zeros`", start + 1, end + 1)).isNotNull();
        assertThat(check(tensor, "`Tensor.zeros`", start, end - 1)).isNotNull();
        assertThat(check(tensor, "`Tensor.zeros`", start, end + 1)).isNotNull();
        assertThat(check(tensor, "`Tensor.full`", start, end)).isNotNull();
        assertThat(check(tensor, "`Tensor.zeros`, lines 1–2", start, end)).contains("lines 1–2");
        assertThat(check(tensor, "Tensor.java", start, end)).contains("code span");
    }

    /** {@return null if the link {@code [text](file#Lfrom-Lto)} follows the rule, else what is wrong} */
    static String check(Path file, String text, int from, int to) {
        if (!Files.isRegularFile(file)) {
            return "no such file: " + file;
        }
        Matcher span = CODE_SPAN.matcher(text);
        Matcher name = span.find() ? JAVA_NAME.matcher(span.group(1)) : null;
        if (name == null || !name.find()) {
            return "the link text names no code: put the symbol in a `code span`";
        }
        String[] parts = name.group().split("\\.");
        String symbol = parts[parts.length - 1];
        Matcher said = LINES.matcher(text);
        if (said.find() && (Integer.parseInt(said.group(1)) != from || Integer.parseInt(said.group(2)) != to)) {
            return "the text says lines " + said.group(1) + "–" + said.group(2) + " but the anchor is " + from + "–"
                    + to;
        }
        List<JavaLine> lines = JavaLine.parse(RepoDocs.read(file));
        if (from < 1 || to < from || to > lines.size()) {
            return "range " + from + "–" + to + " is outside the file's " + lines.size() + " lines"
                    + where(lines, symbol);
        }
        String problem = rangeProblem(lines.subList(from - 1, to), symbol);
        return problem == null ? null : problem + where(lines, symbol);
    }

    private static String rangeProblem(List<JavaLine> range, String symbol) {
        Pattern word = Pattern.compile("(?<![\\w$])" + Pattern.quote(symbol) + "(?![\\w$])");
        JavaLine first = range.get(0);
        if (first.text().isBlank()) {
            return "the range starts on a blank line";
        }
        JavaLine firstCode = range.stream().filter(JavaLine::isCode).findFirst().orElse(null);
        if (firstCode == null) {
            return word.matcher(first.text()).find() ? null
                    : "the range is all comment and its first line does not name " + symbol;
        }
        if (first.startsInComment()) {
            return "the range starts inside a comment that began above it";
        }
        if (!word.matcher(firstCode.code()).find()) {
            return "its first line of code does not name " + symbol + ": " + firstCode.text().strip();
        }
        int depth = 0;
        for (JavaLine l : range) {
            for (char c : l.code().toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth < 0) {
                    return "the range closes a brace it did not open: " + l.text().strip();
                }
            }
        }
        if (depth != 0) {
            return "the range leaves " + depth + " brace(s) open";
        }
        JavaLine last = range.get(range.size() - 1);
        if (last.text().isBlank()) {
            return "the range ends on a blank line";
        }
        return last.endsInComment() ? "the range ends inside a comment" : null;
    }

    /** Where the symbol is declared, with the range a link to it would use. */
    private static String where(List<JavaLine> lines, String symbol) {
        List<String> found = new ArrayList<>();
        for (int decl : declarations(lines, symbol)) {
            found.add("#L" + commentStart(lines, decl) + "-L" + blockEnd(lines, decl));
        }
        return found.isEmpty() ? "" : "\n    " + symbol + " is declared at " + String.join(", ", found);
    }

    // 1-based lines whose code declares the symbol: a method, constructor, type or field, not a call.
    private static List<Integer> declarations(List<JavaLine> lines, String symbol) {
        Pattern decl = Pattern.compile("^\\s*(?:(?:public|protected|private|static|final|abstract|default|synchronized"
                + "|sealed|non-sealed)\\s+)*(?:(?:class|record|interface|enum)\\s+|<[^>]*>\\s*)?[\\w$.<>\\[\\],?]+\\s+"
                + Pattern.quote(symbol) + "\\s*[({=;<]");
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).code();
            if (decl.matcher(code).find() && !code.strip().matches("(return|throw|new|else|if|for|while)\\b.*")) {
                out.add(i + 1);
            }
        }
        return out;
    }

    // The first line of the comments and annotations right above a 1-based line, or the line itself.
    private static int commentStart(List<JavaLine> lines, int line) {
        int start = line;
        while (start > 1 && !lines.get(start - 2).text().isBlank() && !lines.get(start - 2).isCode()) {
            start--;
        }
        return start;
    }

    // The 1-based line that closes the first brace opened from a line on, or that line if it opens none.
    private static int blockEnd(List<JavaLine> lines, int line) {
        int depth = 0;
        boolean opened = false;
        for (int i = line - 1; i < lines.size(); i++) {
            for (char c : lines.get(i).code().toCharArray()) {
                if (c == '{') {
                    depth++;
                    opened = true;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (opened && depth <= 0 || !opened && lines.get(i).code().strip().endsWith(";")) {
                return i + 1;
            }
        }
        return line;
    }

    /**
     * One line of a Java file: its text, its code with comments and the contents of literals removed, and whether it
     * starts or ends inside a block comment.
     */
    record JavaLine(String text, String code, boolean startsInComment, boolean endsInComment) {
        boolean isCode() {
            String c = code.strip();
            return !c.isEmpty() && !ANNOTATION.matcher(c).matches();
        }

        static List<JavaLine> parse(String source) {
            List<JavaLine> out = new ArrayList<>();
            boolean inComment = false;
            boolean inTextBlock = false;
            for (String text : source.split("\n", -1)) {
                boolean startsInComment = inComment;
                StringBuilder code = new StringBuilder();
                int i = 0;
                while (i < text.length()) {
                    if (inComment) {
                        int end = text.indexOf("*/", i);
                        inComment = end < 0;
                        i = end < 0 ? text.length() : end + 2;
                    } else if (inTextBlock) {
                        int end = text.indexOf("\"\"\"", i);
                        inTextBlock = end < 0;
                        i = end < 0 ? text.length() : end + 3;
                    } else if (text.startsWith("//", i)) {
                        break;
                    } else if (text.startsWith("/*", i)) {
                        inComment = true;
                        i += 2;
                    } else if (text.startsWith("\"\"\"", i)) {
                        inTextBlock = true;
                        i += 3;
                    } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                        char quote = text.charAt(i);
                        int j = i + 1;
                        while (j < text.length() && text.charAt(j) != quote) {
                            j += text.charAt(j) == '\\' ? 2 : 1;
                        }
                        code.append(quote).append(quote);
                        i = j + 1;
                    } else {
                        code.append(text.charAt(i));
                        i++;
                    }
                }
                out.add(new JavaLine(text, code.toString(), startsInComment, inComment));
            }
            return out;
        }
    }
}
