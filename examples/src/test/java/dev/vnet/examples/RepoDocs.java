package dev.vnet.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's Markdown pages as the doc tests read them: found from the working folder, in fenced blocks. */
final class RepoDocs {
    private RepoDocs() {}

    /** A fenced block: its info string ({@code java}, or empty), its lines, and the page text before it. */
    record Block(String info, List<String> lines, String before) {
        /** {@return the lines with their common indentation removed and trailing blanks stripped} */
        List<String> dedented() {
            int indent = lines.stream().filter(l -> !l.isBlank())
                    .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
            return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
        }
    }

    /** {@return the repository root: the nearest folder above the working folder whose pom.xml lists the modules} */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    /** {@return the file's text, with Windows line ends made Unix ones} */
    static String read(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return every fenced ({@code ```}) block of a Markdown text, indented ones (in lists) included} */
    static List<Block> blocks(String markdown) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        StringBuilder before = new StringBuilder();
        String info = null;
        List<String> current = null;
        for (String line : lines) {
            String t = line.strip();
            if (current == null && t.startsWith("```")) {
                info = t.substring(3).strip();
                current = new ArrayList<>();
            } else if (current != null && t.equals("```")) {
                out.add(new Block(info, List.copyOf(current), before.toString()));
                before.append(String.join("\n", current)).append('\n');
                current = null;
            } else if (current != null) {
                current.add(line);
            } else {
                before.append(line).append('\n');
            }
        }
        return out;
    }
}
