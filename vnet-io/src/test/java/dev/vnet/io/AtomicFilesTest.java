package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void newFilesAreReadableByOthersAndReplacedFilesKeepTheirPermissions() throws IOException {
        Path fresh = dir.resolve("fresh.txt");
        AtomicFiles.write(fresh, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(fresh)).containsExactly(1, 2, 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-r--r--");

        Path kept = dir.resolve("kept.txt");
        Files.write(kept, new byte[] {9});
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(kept, new byte[] {4});
        assertThat(Files.readAllBytes(kept)).containsExactly(4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-rw----");
    }

    @Test
    void writeStringReplacesTheWholeFileAsUtf8() throws IOException {
        Path csv = dir.resolve("counts.csv");
        AtomicFiles.writeString(csv, "image,count\na.jpg,3\nb.jpg,4\n");
        AtomicFiles.writeString(csv, "image,count\nµ.jpg,1\n");
        assertThat(Files.readString(csv)).isEqualTo("image,count\nµ.jpg,1\n");
        assertThat(AtomicFiles.removeLeftovers(dir)).isEmpty();
    }

    /** Writes {@code args[0]} (a file, or with a second argument a folder unit) and stops halfway, until killed. */
    static final class HaltedWrite {
        public static void main(String[] args) throws IOException {
            AtomicFiles.ContentWriter halt = out -> {
                out.write(new byte[1 << 17]);
                out.flush();
                System.out.println("writing");
                System.out.flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            if (args.length == 1) {
                AtomicFiles.write(Path.of(args[0]), halt);
            } else {
                Map<String, AtomicFiles.ContentWriter> unit = new LinkedHashMap<>();
                unit.put("model", out -> out.write(1));
                unit.put("state", halt);
                AtomicFolder.write(Path.of(args[0]), unit);
            }
        }
    }

    /** Writes files into {@code args[0]} from three threads without end, until killed. */
    static final class EndlessWrites {
        public static void main(String[] args) {
            for (int t = 0; t < 3; t++) {
                int thread = t;
                new Thread(() -> {
                    for (long i = 0; ; i++) {
                        try {
                            AtomicFiles.writeString(Path.of(args[0], thread + "-" + (i % 50)), "x".repeat(1000));
                            if (i == 10) {
                                System.out.println("writing");
                                System.out.flush();
                            }
                        } catch (IOException e) {
                            return; // the hook has started: no write begins any more
                        }
                    }
                }).start();
            }
        }
    }

    @Test
    void writesThatGoOnWhileTheJvmEndsLeaveNoTemporaryFile() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        for (int trial = 0; trial < 3; trial++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), EndlessWrites.class.getName(), out.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(in.readLine()).isEqualTo("writing");
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            try (Stream<Path> s = Files.list(out)) {
                assertThat(s.map(f -> f.getFileName().toString())).as("trial " + trial).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aSigtermDuringAWriteLeavesNoTemporaryFile() throws Exception {
        Path old = dir.resolve("last");
        AtomicFolder.write(old, Map.of("model", out -> out.write(7)));
        for (String[] args : new String[][] {{dir.resolve("counts.csv").toString()}, {old.toString(), "unit"}}) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HaltedWrite.class.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("writing");
                try (Stream<Path> s = Files.list(dir)) {
                    assertThat(s.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".tmp"));
                }
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(f -> f.getFileName().toString())).containsExactly("last");
            }
            assertThat(Files.readAllBytes(old.resolve("model"))).containsExactly(7);
        }
    }
}
