package dev.vnet.io.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds this implementation to the format as another one writes and reads it: {@code python_written.safetensors}
 * is written with numpy by {@code tools/fixtures/check_safetensors.py write}, and {@code java_written.safetensors}
 * (written here) is validated by {@code check_safetensors.py check-java}.
 */
class SafetensorsCrossCheckTest {
    @TempDir
    Path dir;

    /** The tensors of the Java-side fixture; check_safetensors.py java_expected() builds the same. */
    static Map<String, Tensor> javaTensors() {
        float[] w = new float[4 * 2 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 17 - 8) * 0.0625f;
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("down.conv.weight", Tensor.wrap(w, 4, 2, 3, 3));
        m.put("down.bn.running_mean", Tensor.of(new float[] {0f, 0.5f, 1f, 1.5f}, 4));
        m.put("out.bias", Tensor.of(new float[] {-1.75f}, 1));
        m.put("step", Tensor.scalar(42f));
        return m;
    }

    static Map<String, String> javaMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model_config", "{\"in_channels\":3,\"base_channels\":16}");
        m.put("training_state", "{\"epoch\":3,\"step\":120,\"seed\":42}");
        m.put("note", "µm ✓ \"quoted\" </tag>\n");
        return m;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SafetensorsCrossCheckTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheFileWrittenByPython() throws IOException {
        SafetensorsFile f = Safetensors.parse(resource("python_written.safetensors"), "python_written.safetensors");
        assertThat(f.metadata()).containsEntry("format", "pt").containsEntry("note", "µm ✓").hasSize(3);
        // Python orders by dtype size, then name.
        assertThat(f.tensors().keySet()).containsExactly("bn.num_batches_tracked", "bn.running_var", "conv.weight",
                "scalar", "half");
        Tensor w = f.tensors().get("conv.weight");
        assertThat(w.shape()).containsExactly(2, 1, 3, 3);
        for (int i = 0; i < w.size(); i++) {
            assertThat(w.data()[i]).isEqualTo((i - 9) * 0.125f);
        }
        assertThat(f.tensors().get("bn.running_var").data()).containsExactly(0.5f, 2f);
        assertThat(f.tensors().get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(f.tensors().get("bn.num_batches_tracked").item()).isEqualTo(7f);
        assertThat(f.tensors().get("scalar").item()).isEqualTo(3.25f);
        assertThat(f.tensors().get("half").data()).containsExactly(1.5f, -2f, 65504f, 0x1p-24f);
    }

    @Test
    void writesTheFileThatPythonValidated() throws IOException {
        byte[] now = Safetensors.encode(javaTensors(), javaMetadata());
        // Regenerate with VNET_FIXTURES_OUT=vnet-io/src/test/resources/dev/vnet/io/checkpoint (absolute path).
        String out = System.getenv("VNET_FIXTURES_OUT");
        if (out != null) {
            Files.write(Path.of(out, "java_written.safetensors"), now);
        }
        // Byte-identical to the committed file that check_safetensors.py check-java accepted.
        assertThat(now).isEqualTo(resource("java_written.safetensors"));
        Path f = dir.resolve("j.safetensors");
        Safetensors.write(f, javaTensors(), javaMetadata());
        assertThat(Files.readAllBytes(f)).isEqualTo(now);
        SafetensorsFile back = Safetensors.read(f);
        assertThat(back.metadata()).isEqualTo(javaMetadata());
        assertThat(back.tensors().get("down.conv.weight").data()).containsExactly(javaTensors().get("down.conv.weight").data());
    }
}
