package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFingerprintTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    @Test
    void recordsNamesSizesAndHashesAndRoundTripsThroughText() throws IOException {
        Path a = file("im/Im001_1.jpg", "abc");
        Path b = file("xyc/Im001_1.xyc", "");
        DataFingerprint f = DataFingerprint.of(dir, List.of(b, a));
        // sha256("abc") and sha256("") are the published test vectors.
        assertThat(f.toText()).isEqualTo(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  3  im/Im001_1.jpg\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  0  xyc/Im001_1.xyc\n");
        assertThat(DataFingerprint.parse(f.toText(), "data.sha256")).isEqualTo(f);
        assertThat(f.firstDifference(DataFingerprint.of(dir, List.of(a, b)))).isEmpty();
    }

    @Test
    void theFirstDifferenceIsNamed() throws IOException {
        Path a = file("im/Im001_1.jpg", "abc");
        Path b = file("im/Im002_1.jpg", "def");
        DataFingerprint run = DataFingerprint.of(dir, List.of(a, b));
        Files.writeString(b, "deg");
        assertThat(run.firstDifference(DataFingerprint.of(dir, List.of(a, b)))).hasValueSatisfying(d -> assertThat(d)
                .startsWith("im/Im002_1.jpg has changed: its content differs (SHA-256 "));
        Files.writeString(b, "defg");
        assertThat(run.firstDifference(DataFingerprint.of(dir, List.of(a, b))))
                .hasValue("im/Im002_1.jpg has changed: 4 bytes, the run's had 3");
        assertThat(run.firstDifference(DataFingerprint.of(dir, List.of(b))))
                .hasValue("im/Im001_1.jpg is missing: the run was made from data that had it");
        Path c = file("im/Im000_0.jpg", "x");
        assertThat(run.firstDifference(DataFingerprint.of(dir, List.of(a, b, c))))
                .hasValue("im/Im000_0.jpg was not in the data the run was made from");
    }

    @Test
    void badTextIsRefusedWithItsLine() {
        String good = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  0  a\n";
        assertThatThrownBy(() -> DataFingerprint.parse(good + "xyz  1  b\n", "run/data.sha256"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("run/data.sha256:2: expected");
        assertThatThrownBy(() -> DataFingerprint.parse(good + good, "f")).hasMessageStartingWith("f:2: ");
        assertThatThrownBy(() -> DataFingerprint.of(dir, List.of(dir.resolve("gone.jpg"))))
                .hasMessageStartingWith(dir.resolve("gone.jpg") + ": cannot read it");
    }
}
