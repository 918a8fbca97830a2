package dev.vnet.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Tensor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the reference tensors that {@code tools/fixtures/torch_core.py} wrote with PyTorch, and compares
 * results with them. The file format is described in that script.
 */
public final class TorchFixtures {
    /** The relative error allowed against PyTorch's float64 answer for float32 arithmetic. */
    public static final double RTOL = 1e-4;

    private final String file;
    private final Map<String, Tensor> tensors;

    private TorchFixtures(String file, Map<String, Tensor> tensors) {
        this.file = file;
        this.tensors = tensors;
    }

    /** Loads {@code fixtures/torch/<name>.bin} from the test resources. */
    public static TorchFixtures load(String name) {
        String path = "/fixtures/torch/" + name + ".bin";
        try (InputStream raw = TorchFixtures.class.getResourceAsStream(path)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + path + "; run the script under tools/fixtures that writes it");
            }
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw));
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, "VNT1".getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalStateException(path + " is not a VNT1 fixture file");
            }
            int count = in.readInt();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                int[] shape = new int[in.readInt()];
                int size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                    size *= shape[d];
                }
                float[] data = new float[size];
                for (int j = 0; j < size; j++) {
                    data[j] = in.readFloat();
                }
                out.put(key, shape.length == 0 ? Tensor.scalar(data[0]) : Tensor.wrap(data, shape));
            }
            return new TorchFixtures(name, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of the tensor under {@code key} (tests may modify it). */
    public Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException(file + ".bin has no tensor '" + key + "'; it has " + tensors.keySet());
        }
        return t.rank() == 0 ? Tensor.scalar(t.item()) : Tensor.of(t.data(), t.shape());
    }

    /** The tensor under {@code key} as integers (class indices, stored as floats), rounded. */
    public int[] ints(String key) {
        float[] v = get(key).data();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i]);
        }
        return out;
    }

    /** A copy of the tensor under {@code key} that requires a gradient. */
    public Tensor leaf(String key) {
        return get(key).requiresGrad(true);
    }

    /** Whether the file has {@code key}. */
    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** The keys, in file order. */
    public java.util.Set<String> keys() {
        return tensors.keySet();
    }

    /** Asserts {@code actual} matches the reference {@code key} in shape and within {@link #RTOL}. */
    public void assertClose(String key, Tensor actual) {
        Tensor expected = tensors.get(key);
        assertThat(expected).as("%s.bin has '%s'", file, key).isNotNull();
        assertThat(actual.shape()).as("shape of %s", key).isEqualTo(expected.shape());
        assertClose(key, actual.data(), expected.data(), RTOL);
    }

    /** Asserts the gradient {@code actual} matches the reference {@code key} within {@link #RTOL}. */
    public void assertClose(String key, float[] actual) {
        Tensor expected = tensors.get(key);
        assertThat(expected).as("%s.bin has '%s'", file, key).isNotNull();
        assertThat(actual).as("gradient for %s", key).isNotNull();
        assertClose(key, actual, expected.data(), RTOL);
    }

    /**
     * Element-wise relative error: {@code |a − e| ≤ rtol · max(|e|, 0.01 · max|e|)}. Elements far smaller
     * than the tensor's largest are measured against 1% of it, because for them the error of a float32 sum
     * is set by the magnitude of its terms, not by the (possibly cancelled) result.
     */
    public static void assertClose(String what, float[] actual, float[] expected, double rtol) {
        assertThat(actual.length).as("size of %s", what).isEqualTo(expected.length);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double floor = Math.max(0.01 * scale, 1e-30);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
            if (Double.isNaN(err) || err > worst) {
                if (Double.isNaN(err)) {
                    throw new AssertionError(what + ": NaN at index " + i + ": got " + actual[i] + ", expected " + expected[i]);
                }
                worst = err;
                worstAt = i;
            }
        }
        if (worstAt >= 0 && !(worst <= rtol)) {
            throw new AssertionError(what + ": relative error " + worst + " > " + rtol + " at index " + worstAt + ": got "
                    + actual[worstAt] + ", expected " + expected[worstAt]);
        }
    }
}
