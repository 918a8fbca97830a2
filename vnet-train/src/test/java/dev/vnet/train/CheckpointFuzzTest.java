package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the checkpoint reader. Under {@code mvn test} this runs the seed corpus in
 * {@code src/test/resources/dev/vnet/train/CheckpointFuzzTestInputs/load/} (regression mode: a tiny valid checkpoint
 * and copies whose configuration claims a huge width, conv count, input size or kernel, other channel counts, a
 * NaN weight, invalid JSON, missing tensors...); with {@code JAZZER_FUZZ=1} it fuzzes. The only exception allowed is the {@link IOException} that
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
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("huge_preprocess_width")))
                .hasMessageContaining("huge_preprocess_width").hasMessageEndingWith("got 20000");
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("huge_median_kernel")))
                .hasMessageEndingWith("preprocess.medianKernel must be 0 (off) or odd, 1 to 255, got 2147483647");
        assertThatThrownBy(() -> Checkpoint.load(seeds.resolve("nan_weight"))).hasMessageContaining("nan_weight")
                .hasMessageContaining("not finite, the first at index 0 (NaN)");
    }

    @Test
    void metadataSizesAreBoundedLikeOptionsAndNonFiniteWeightsAreRefusedByName(@TempDir Path dir) throws Exception {
        Path seeds = Path.of(CheckpointFuzzTest.class.getResource("CheckpointFuzzTestInputs/load").toURI());
        SafetensorsFile tiny = Safetensors.read(seeds.resolve("valid_tiny"));
        String json = tiny.metadata().get(Checkpoint.CONFIG_KEY);
        Path wide = edited(dir.resolve("wide.safetensors"), tiny, json.replace("\"width\": 32", "\"width\": 20000"));
        assertThatThrownBy(() -> Checkpoint.load(wide)).isInstanceOf(IOException.class).hasMessage(wide
                + ": metadata 'vnet.config': preprocess.width must be 16 to " + Checkpoint.MAX_INPUT_SIDE + ", got 20000");
        Path kernel = edited(dir.resolve("kernel.safetensors"), tiny,
                json.replace("\"gaussianKernel\": 0", "\"gaussianKernel\": 2147483647"));
        assertThatThrownBy(() -> Checkpoint.load(kernel)).hasMessageContaining(kernel.toString())
                .hasMessageEndingWith("preprocess.gaussianKernel must be 0 (off) or odd, 1 to 255, got 2147483647");
        Path tiles = edited(dir.resolve("tiles.safetensors"), tiny,
                json.replace("\"claheClip\": 0.0", "\"claheClip\": 2.0").replace("\"claheTilesX\": 8", "\"claheTilesX\": 100000"));
        assertThatThrownBy(() -> Checkpoint.load(tiles))
                .hasMessageEndingWith("preprocess.claheTilesX must be 1 to 32, got 100000");
        Path radius = edited(dir.resolve("radius.safetensors"), tiny,
                json.replace("\"maskRadius\": 0,", "\"maskRadius\": 2147483647,"));
        assertThatThrownBy(() -> Checkpoint.load(radius)).hasMessageEndingWith("preprocess.maskRadius must be 0 to "
                + Checkpoint.MAX_MASK_RADIUS + ", got 2147483647");

        Map<String, Tensor> weights = new LinkedHashMap<>();
        tiny.tensors().forEach((k, v) -> weights.put(k, Tensor.of(v.data().clone(), v.shape())));
        String victim = weights.keySet().stream().skip(2).findFirst().orElseThrow();
        weights.get(victim).data()[0] = Float.NaN;
        Path nan = dir.resolve("nan.safetensors");
        Safetensors.write(nan, weights, tiny.metadata());
        assertThatThrownBy(() -> Checkpoint.load(nan)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(nan + ": tensor '" + victim + "': 1 of its").hasMessageContaining("not finite");
    }

    @Test
    void theMemoryAForwardPassNeedsIsComparedWithTheHeap() {
        TrainConfig c = TrainConfig.demo().toBuilder().detection(null).size(8192).build();
        Checkpoint.checkSizes(c.toBuilder().size(64).build(), 4);
        assertThatThrownBy(() -> Checkpoint.checkSizes(c, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a forward pass over 64 images of 8192×8192 pixels with "
                        + c.model().baseWidth() + " channels must fit in the Java heap's").hasMessageContaining("-Xmx");
    }

    private static Path edited(Path file, SafetensorsFile from, String config) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(from.metadata());
        meta.put(Checkpoint.CONFIG_KEY, config);
        Safetensors.write(file, from.tensors(), meta);
        return file;
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
