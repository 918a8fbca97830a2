package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vnet.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the checkpoint reader. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/vnet/train/CheckpointFuzzTestInputs/load/} (regression mode: a tiny valid checkpoint
 * and copies whose configuration claims a huge width or conv count, other channel counts, invalid JSON, missing
 * tensors...); with {@code JAZZER_FUZZ=1} it fuzzes. The only exception allowed is the {@link IOException} that
 * {@link Checkpoint#load} documents, naming the file; a model that loads holds no more values than the file has
 * bytes (no allocation driven by what the metadata claims).
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void load(byte[] data) throws IOException {
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(data));
        } else {
            check(data);
        }
    }

    @Test
    void aConfigurationThatDoesNotFitTheTensorsIsRefusedByNameBeforeTheModelIsBuilt() throws Exception {
        Path seeds = Path.of(CheckpointFuzzTest.class.getResource("CheckpointFuzzTestInputs/load").toURI());
        assertThat(Checkpoint.load(seeds.resolve("valid_tiny")).epoch()).isEqualTo(3);
        // Building these models would take terabytes.
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("huge_base_width"))).isInstanceOf(IOException.class)
                .hasMessageContaining("huge_base_width").hasMessageContaining("model.baseWidth = 100000000");
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("huge_conv_counts"))).isInstanceOf(IOException.class)
                .hasMessageContaining("model.downConvs = [100000000, 1, 0, 0]");
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("only_input_conv_wide"))).isInstanceOf(IOException.class)
                .hasMessageContaining("width=200").hasMessageContaining("no tensor 'down_tr32.down_conv.weight'");
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("wrong_out_channels"))).isInstanceOf(IOException.class)
                .hasMessageContaining("model.outChannels = 4");
    }

    private static void check(byte[] data) throws IOException {
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, data);
            Checkpoint c;
            try {
                c = Checkpoint.load(file);
            } catch (IOException e) {
                assertThat(e.getMessage()).contains(file.toString());
                return;
            }
            long values = 0;
            for (Tensor t : c.model().stateDict().values()) {
                values += t.size();
            }
            assertThat(values).isLessThanOrEqualTo(data.length);
            assertThat(c.model().config()).isEqualTo(c.config().model());
        } finally {
            Files.delete(file);
        }
    }
}
