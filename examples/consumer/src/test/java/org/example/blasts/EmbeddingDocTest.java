package org.example.blasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/embedding.md quotes this project: every {@code java} block of the page must appear, line for line
 * (indentation aside), in {@code BlastCounter.java}, and the page must show this project's dependency and
 * platform setting, so the instructions cannot drift from code that builds and runs.
 */
class EmbeddingDocTest {
    private static final Path DOC = Path.of("../../docs/embedding.md");

    @Test
    void everyJavaBlockOfThePageIsCodeOfThisProject() throws IOException {
        List<String> source = trimmed(Files.readAllLines(Path.of("src/main/java/org/example/blasts/BlastCounter.java")));
        List<List<String>> blocks = blocks(Files.readAllLines(DOC), "```java");
        assertThat(blocks).as("java blocks in " + DOC).hasSizeGreaterThanOrEqualTo(2);
        for (List<String> block : blocks) {
            assertThat(containsRun(source, trimmed(block))).as("quoted in %s but not in BlastCounter.java:%n%s", DOC,
                    String.join("\n", block)).isTrue();
        }
    }

    @Test
    void thePageShowsThisProjectsDependencyAndPlatform() throws IOException {
        String doc = Files.readString(DOC);
        String pom = Files.readString(Path.of("pom.xml"));
        String platform = Files.readString(Path.of(".mvn/maven.config")).trim();
        assertThat(doc).contains(platform);
        for (String line : List.of("<groupId>dev.vnet</groupId>", "<artifactId>vnet-train</artifactId>",
                "<version>0.1.0-SNAPSHOT</version>")) {
            assertThat(pom).contains(line);
            assertThat(doc).contains(line);
        }
    }

    private static List<List<String>> blocks(List<String> lines, String fence) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String l : lines) {
            if (current == null && l.trim().equals(fence)) {
                current = new ArrayList<>();
            } else if (current != null && l.trim().equals("```")) {
                out.add(current);
                current = null;
            } else if (current != null) {
                current.add(l);
            }
        }
        return out;
    }

    private static List<String> trimmed(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static boolean containsRun(List<String> haystack, List<String> needle) {
        return java.util.Collections.indexOfSubList(haystack, needle) >= 0;
    }
}
