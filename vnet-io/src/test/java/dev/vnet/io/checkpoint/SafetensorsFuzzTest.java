package dev.vnet.io.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import dev.vnet.core.tensor.Tensor;
import java.util.Map;

/**
 * Fuzzes the safetensors reader. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/vnet/io/checkpoint/SafetensorsFuzzTestInputs/parse/} (regression mode); with
 * {@code JAZZER_FUZZ=1} it fuzzes. The only exception allowed is {@link CheckpointFormatException} naming the
 * source; what is read must not be larger than the input (no allocation driven by what a header claims) and
 * must survive a write/read round trip.
 */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        // In regression mode each input must finish in bounded time; when fuzzing, Jazzer watches for hangs itself
        // (and a timeout around the whole fuzzing run would stop it).
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(data));
        } else {
            check(data);
        }
    }

    private static void check(byte[] data) {
        SafetensorsFile f;
        try {
            f = Safetensors.parse(data, "fuzz.safetensors");
        } catch (CheckpointFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz.safetensors: ");
            assertThat(e.file()).isEqualTo("fuzz.safetensors");
            return;
        }
        long values = 0;
        for (Tensor t : f.tensors().values()) {
            values += t.size();
        }
        // Every value comes from at least one byte of the input.
        assertThat(values).isLessThanOrEqualTo(data.length);
        SafetensorsFile again;
        try {
            again = Safetensors.parse(Safetensors.encode(f.tensors(), f.metadata()), "round trip");
        } catch (CheckpointFormatException e) {
            throw new AssertionError("re-reading what was written failed", e);
        }
        assertThat(again.metadata()).isEqualTo(f.metadata());
        assertThat(again.tensors().keySet()).containsExactlyInAnyOrderElementsOf(f.tensors().keySet());
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            Tensor t = again.tensors().get(e.getKey());
            assertThat(t.shape()).isEqualTo(e.getValue().shape());
            for (int i = 0; i < t.size(); i++) {
                assertThat(Float.floatToRawIntBits(t.data()[i]))
                        .isEqualTo(Float.floatToRawIntBits(e.getValue().data()[i]));
            }
        }
    }
}
