package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
