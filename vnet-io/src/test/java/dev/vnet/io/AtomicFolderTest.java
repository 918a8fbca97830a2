package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFolderTest {
    @TempDir
    Path dir;

    /** Stands for a kill: an Error that no cleanup code of the write catches. */
    private static final class Crash extends Error {
        Crash(String step) {
            super("crash after: " + step);
        }
    }

    private static Map<String, AtomicFiles.ContentWriter> unit(String tag, String... names) {
        Map<String, AtomicFiles.ContentWriter> files = new LinkedHashMap<>();
        for (String n : names) {
            // Different lengths per tag, so a mix would also show in the sizes.
            byte[] content = (tag + ":" + n + ":" + tag.repeat(tag.length())).getBytes(StandardCharsets.UTF_8);
            files.put(n, out -> out.write(content));
        }
        return files;
    }

    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(folder)) {
            return m;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals(AtomicFolder.MANIFEST)) {
                    m.put(p.getFileName().toString(), Files.readString(p));
                }
            }
        }
        return m;
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The steps a write passes, recorded from an uninterrupted one. */
    private List<String> steps(boolean previous) throws IOException {
        Path scratch = Files.createTempDirectory(dir, "steps");
        Path f = scratch.resolve("u");
        if (previous) {
            AtomicFolder.write(f, unit("old", "model", "state", "run"));
        }
        List<String> steps = new ArrayList<>();
        AtomicFolder.write(f, unit("new", "model", "state", "run"), steps::add);
        AtomicFolder.deleteTree(scratch);
        return steps;
    }

    @Test
    void aWriteReplacesTheWholeFolder() throws IOException {
        Path f = dir.resolve("last");
        AtomicFolder.write(f, unit("a", "model", "state"));
        assertThat(contents(f)).containsOnlyKeys("model", "state");
        assertThat(AtomicFolder.files(f)).containsExactly("model", "state");
        AtomicFolder.write(f, unit("b", "model", "run"));
        assertThat(contents(f)).isEqualTo(Map.of("model", "b:model:b", "run", "b:run:b"));
        assertThat(entries()).containsExactly("last");
        assertThatThrownBy(() -> AtomicFolder.write(f, unit("c", "../x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../x'");
    }

    @Test
    void aCrashAtAnyStepLeavesThePreviousUnitOrTheNewOneNeverAMix() throws IOException {
        List<String> steps = steps(true);
        assertThat(steps).containsExactly("wrote model", "wrote state", "wrote run", "complete",
                "moved the old folder away", "moved the new folder in");
        for (int k = 0; k < steps.size(); k++) {
            Path f = dir.resolve("last");
            AtomicFolder.deleteTree(f);
            AtomicFolder.write(f, unit("old", "model", "state", "run"));
            String stop = steps.get(k);
            assertThatThrownBy(() -> AtomicFolder.write(f, unit("new", "model", "state", "run"), step -> {
                if (step.equals(stop)) {
                    throw new Crash(step);
                }
            })).isInstanceOf(Crash.class);
            // The next start.
            List<Path> settled = AtomicFiles.removeLeftovers(dir);
            assertThat(settled).as("after %s", stop).isNotEmpty();
            assertThat(entries()).as("after %s", stop).containsExactly("last");
            AtomicFolder.requireComplete(f);
            // Until the new folder is complete the old one stands; once the old one has moved away, the new one.
            assertThat(contents(f)).as("after %s", stop)
                    .isEqualTo(unitContents(k <= steps.indexOf("complete") ? "old" : "new"));
        }
    }

    private static Map<String, String> unitContents(String tag) {
        return Map.of("model", tag + ":model:" + tag.repeat(tag.length()), "state",
                tag + ":state:" + tag.repeat(tag.length()), "run", tag + ":run:" + tag.repeat(tag.length()));
    }

    @Test
    void aCrashDuringTheFirstWriteLeavesNothing() throws IOException {
        for (String stop : steps(false)) {
            Path f = dir.resolve("first");
            AtomicFolder.deleteTree(f);
            assertThatThrownBy(() -> AtomicFolder.write(f, unit("new", "model", "state", "run"), step -> {
                if (step.equals(stop)) {
                    throw new Crash(step);
                }
            })).isInstanceOf(Crash.class);
            boolean exists = AtomicFolder.recover(f);
            assertThat(entries()).as("after %s", stop).containsExactly(exists ? new String[] {"first"} : new String[0]);
            if (exists) {
                assertThat(contents(f)).isEqualTo(unitContents("new"));
            }
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousUnitAndNoTemporaryFolder() throws IOException {
        Path f = dir.resolve("last");
        AtomicFolder.write(f, unit("old", "model", "state"));
        Map<String, AtomicFiles.ContentWriter> failing = unit("new", "model");
        failing.put("state", out -> {
            out.write(1);
            throw new IOException("No space left on device");
        });
        assertThatThrownBy(() -> AtomicFolder.write(f, failing)).hasMessageContaining("No space left");
        assertThat(contents(f)).isEqualTo(Map.of("model", "old:model:oldoldold", "state", "old:state:oldoldold"));
        assertThat(entries()).containsExactly("last");
    }

    @Test
    void anIncompleteFolderIsReportedByName() throws IOException {
        Path f = dir.resolve("last");
        AtomicFolder.write(f, unit("a", "model", "state"));
        Files.write(f.resolve("state"), new byte[3]);
        assertThat(AtomicFolder.isComplete(f)).isFalse();
        assertThatThrownBy(() -> AtomicFolder.requireComplete(f))
                .hasMessage(f + ": the file state has 3 bytes, .manifest says 9");
        Files.delete(f.resolve("model"));
        assertThatThrownBy(() -> AtomicFolder.files(f)).hasMessageContaining("the file model listed in .manifest is missing");
        Files.delete(f.resolve(AtomicFolder.MANIFEST));
        assertThatThrownBy(() -> AtomicFolder.requireComplete(f)).hasMessageContaining("has no .manifest");
    }

    @Test
    void removeLeftoversDeletesOnlyTheTemporaryFilesOfInterruptedWrites() throws IOException {
        Files.write(dir.resolve(".last.safetensors.4711.tmp"), new byte[0]);
        Files.write(dir.resolve(".counts.csv.123456789.tmp"), new byte[5]);
        Files.write(dir.resolve("last.safetensors"), new byte[1]);
        Files.write(dir.resolve(".hidden"), new byte[1]);
        Files.write(dir.resolve("notes.tmp"), new byte[1]);
        Files.write(dir.resolve(".x.tmp"), new byte[1]);
        assertThat(AtomicFiles.removeLeftovers(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly(".counts.csv.123456789.tmp", ".last.safetensors.4711.tmp");
        assertThat(entries()).containsExactly(".hidden", ".x.tmp", "last.safetensors", "notes.tmp");
        assertThat(AtomicFiles.removeLeftovers(dir)).isEmpty();
    }
}
