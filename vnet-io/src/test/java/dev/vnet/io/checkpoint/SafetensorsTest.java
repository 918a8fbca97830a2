package dev.vnet.io.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsTest {
    @TempDir
    Path dir;

    static Map<String, Tensor> model() {
        Rng rng = new Rng(3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("in.conv.weight", Tensor.randn(rng, 0.1f, 16, 3, 5, 5));
        m.put("in.conv.bias", Tensor.randn(rng, 0.1f, 16));
        m.put("in.bn.running_mean", Tensor.zeros(16));
        m.put("in.bn.running_var", Tensor.full(1f, 16));
        m.put("a.scalar", Tensor.scalar(-0.0f));
        m.put("z.special", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f}, 2, 2));
        return m;
    }

    static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model_config", "{\"in_channels\":3,\"depth\":4}");
        m.put("training_state", "{\"epoch\":12,\"step\":3456,\"seed\":42}");
        m.put("unicode", "µm ✓ \"quotes\" \\ </script> \u0001");
        m.put("", "empty key");
        return m;
    }

    @Test
    void roundTripsTensorsAndMetadataInOrder() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Safetensors.write(f, model(), metadata());
        SafetensorsFile back = Safetensors.read(f);
        assertThat(back.tensors().keySet()).containsExactlyElementsOf(model().keySet());
        for (var e : model().entrySet()) {
            Tensor t = back.tensors().get(e.getKey());
            assertThat(t.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            // Bit-exact, including NaN, -0 and subnormals.
            for (int i = 0; i < t.size(); i++) {
                assertThat(Float.floatToRawIntBits(t.data()[i])).isEqualTo(Float.floatToRawIntBits(e.getValue().data()[i]));
            }
        }
        assertThat(back.metadata()).containsExactlyEntriesOf(metadata());
        assertThat(back.source()).isEqualTo(f.toString());
        // Reading from memory gives the same.
        SafetensorsFile mem = Safetensors.parse(Files.readAllBytes(f), "mem");
        assertThat(mem.metadata()).isEqualTo(back.metadata());
        assertThat(mem.tensors().get("in.conv.weight").data()).containsExactly(back.tensors().get("in.conv.weight").data());
    }

    @Test
    void writesTheSpecifiedByteLayout() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Tensor.of(new float[] {1.5f, -2f}, 2));
        m.put("a", Tensor.of(new float[] {0.25f, 3f, 4f}, 3, 1));
        byte[] bytes = Safetensors.encode(m, Map.of("k", "v"));
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertThat((8 + n) % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header.stripTrailing()).isEqualTo("{\"__metadata__\":{\"k\":\"v\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[8,20]}}");
        assertThat(header.substring(header.stripTrailing().length())).matches(" *");
        assertThat(bytes.length).isEqualTo(8 + n + 20);
        assertThat(bb.getFloat((int) (8 + n))).isEqualTo(1.5f);
        assertThat(bb.getFloat((int) (8 + n + 8))).isEqualTo(0.25f);
    }

    @Test
    void emptyCheckpointRoundTrips() throws IOException {
        SafetensorsFile f = Safetensors.parse(Safetensors.encode(Map.of(), Map.of()), "empty");
        assertThat(f.tensors()).isEmpty();
        assertThat(f.metadata()).isEmpty();
    }

    /** A file with the given JSON header (padded) and buffer. */
    static byte[] file(String json, byte[] buffer) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(buffer);
        return out.toByteArray();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    static Stream<Arguments> malformed() {
        byte[] good = Safetensors.encode(Map.of("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)), Map.of());
        byte[] b16 = new byte[16];
        return Stream.of(
                Arguments.of("empty file", new byte[0], null, "too short"),
                Arguments.of("truncated data", Arrays.copyOf(good, good.length - 3), null, "truncated"),
                Arguments.of("truncated header", Arrays.copyOf(good, 20), null, "beyond the end"),
                Arguments.of("header length beyond the file", withLength(good, good.length), null, "beyond the end"),
                Arguments.of("header length > 100 MB", withLength(good, 200_000_000L), null, "beyond the limit"),
                Arguments.of("header length with the top bit set", withLength(good, -8L), null, "beyond the limit"),
                Arguments.of("not JSON", file("{\"w\":{dtype:F32}}", b16), "w", "not valid safetensors JSON"),
                Arguments.of("not an object", file("[1,2]   ", b16), null, "does not start with '{'"),
                Arguments.of("unterminated", file("{\"w\":{\"dtype\":\"F32\"", b16), "w", "not valid"),
                Arguments.of("two JSON values", file("{} {}", new byte[0]), null, "after the JSON object"),
                Arguments.of("bad UTF-8", file("{\"\u00ff\":1}".replace('\u00ff', '?'), b16), "?", "expected an object"),
                Arguments.of("unknown dtype", file("{" + entry("w", "F33", "[4]", 0, 16) + "}", b16), "w", "unknown dtype 'F33'"),
                Arguments.of("F8 dtype", file("{" + entry("w", "F8_E4M3", "[16]", 0, 16) + "}", b16), "w", "not supported"),
                Arguments.of("size mismatch", file("{" + entry("w", "F32", "[3]", 0, 16) + "}", b16), "w", "needs 12"),
                Arguments.of("end before begin", file("{" + entry("w", "F32", "[]", 8, 4) + "}", b16), "w", "end before"),
                Arguments.of("overlap", file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[3]", 4, 16)
                        + "}", b16), "b", "overlap"),
                Arguments.of("gap", file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 12, 16)
                        + "}", b16), "b", "gap"),
                Arguments.of("trailing bytes", file("{" + entry("a", "F32", "[2]", 0, 8) + "}", b16), null, "trailing"),
                Arguments.of("offsets beyond the buffer", file("{" + entry("a", "F32", "[8]", 0, 32) + "}", b16), null,
                        "truncated"),
                Arguments.of("duplicate name", file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("a", "F32", "[2]", 8, 16)
                        + "}", b16), "a", "appears twice"),
                Arguments.of("duplicate metadata", file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]), null,
                        "'k' appears twice"),
                Arguments.of("metadata not a string", file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), null,
                        "expected a string"),
                Arguments.of("unknown field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1}}",
                        new byte[4]), "w", "unknown field 'x'"),
                Arguments.of("missing field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", new byte[4]), "w",
                        "lacks 'data_offsets'"),
                Arguments.of("negative dimension", file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", new byte[4]), "w",
                        "negative"),
                Arguments.of("fractional dimension", file("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4]), "w",
                        "whole number"),
                Arguments.of("zero dimension", file("{" + entry("w", "F32", "[0]", 0, 0) + "}", new byte[0]), "w",
                        "zero-sized"),
                Arguments.of("huge shape", file("{" + entry("w", "F32", "[65536,65536]", 0, 4) + "}", new byte[4]), "w",
                        "2^31"),
                Arguments.of("three offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4,8]}}",
                        new byte[4]), "w", "more than 2"));
    }

    static byte[] withLength(byte[] file, long n) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedFilesNamingFileAndTensor(String what, byte[] content, String tensor, String reason)
            throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, content);
        CheckpointFormatException e = catchThrowableOfType(CheckpointFormatException.class, () -> Safetensors.read(f));
        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).startsWith(f.toString()).contains(reason);
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.tensor()).isEqualTo(tensor);
        // The in-memory reader agrees.
        CheckpointFormatException m = catchThrowableOfType(CheckpointFormatException.class,
                () -> Safetensors.parse(content, "mem"));
        assertThat(m.getMessage()).isEqualTo(e.getMessage().replace(f.toString(), "mem"));
    }

    @Test
    void readsOtherDtypesAsFloat() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 2 + 1 + 2 + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(-2.5).putInt(-7).putShort((short) 0x3C00).put((byte) 200).putShort((short) 0x3FC0).put((byte) 1);
        String json = "{" + entry("d", "F64", "[]", 0, 8) + "," + entry("i", "I32", "[1]", 8, 12) + ","
                + entry("h", "F16", "[]", 12, 14) + "," + entry("u", "U8", "[1,1]", 14, 15) + ","
                + entry("bf", "BF16", "[]", 15, 17) + "," + entry("t", "BOOL", "[]", 17, 18) + "}";
        SafetensorsFile f = Safetensors.parse(file(json, b.array()), "dtypes");
        assertThat(f.tensors().get("d").item()).isEqualTo(-2.5f);
        assertThat(f.tensors().get("i").item()).isEqualTo(-7f);
        assertThat(f.tensors().get("h").item()).isEqualTo(1f);
        assertThat(f.tensors().get("u").item()).isEqualTo(200f);
        assertThat(f.tensors().get("bf").item()).isEqualTo(1.5f);
        assertThat(f.tensors().get("t").item()).isEqualTo(1f);
    }

    @Test
    void aTensorOfMoreThanTwoGibibytesIsSizedIn64BitsAndRefusedByNameWhenTheHeapIsTooSmall() throws IOException {
        // 2^31 - 9 float32 values: 8 GiB of data, in a sparse file that takes no disk space.
        long count = Integer.MAX_VALUE - 8;
        byte[] head = file("{" + entry("big.weight", "F32", "[" + count + "]", 0, 4 * count) + "}", new byte[0]);
        Path f = dir.resolve("big.safetensors");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(head.length + 4 * count);
        }
        long heap = Runtime.getRuntime().maxMemory();
        org.junit.jupiter.api.Assumptions.assumeTrue(heap < 4 * count, "the test needs a heap below 8 GiB");
        assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith(f + ": tensor 'big.weight': shape [" + count + "] holds " + count + " values, 8192 MiB")
                .hasMessageContaining("-Xmx").hasMessageNotContaining("capacity");
    }

    @Test
    void tensorsLargerThanOneReadChunkAreReadWhole() throws IOException {
        int n = (1 << 20) / 8 * 3 + 5; // F64: three 1 MiB chunks and a few values more
        ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putDouble(i * 0.5);
        }
        float[] big = new float[(1 << 20) / 4 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = -i;
        }
        byte[] f32 = Safetensors.encode(Map.of("f", Tensor.of(big, big.length)), Map.of());
        Tensor back = Safetensors.parse(f32, "f32").tensors().get("f");
        assertThat(back.data()).isEqualTo(big);
        Tensor d = Safetensors.parse(file("{" + entry("d", "F64", "[" + n + "]", 0, 8L * n) + "}", b.array()), "f64")
                .tensors().get("d");
        for (int i = 0; i < n; i++) {
            assertThat(d.data()[i]).isEqualTo(i * 0.5f);
        }
    }

    @Test
    void requireFiniteNamesTheFirstTensorWithANanOrInfiniteValue() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(new float[] {1, 2, 3}, 3));
        m.put("b", Tensor.of(new float[] {1, Float.POSITIVE_INFINITY, 3, Float.NaN}, 4));
        Path f = dir.resolve("nan.safetensors");
        Safetensors.write(f, m);
        assertThatThrownBy(() -> Safetensors.read(f).requireFinite()).isInstanceOf(CheckpointFormatException.class)
                .hasMessage(f + ": tensor 'b': 2 of its 4 values are not finite, the first at index 1 (Infinity): the"
                        + " weights of a run that diverged; use an earlier checkpoint");
        m.remove("b");
        Safetensors.write(f, m);
        Safetensors.read(f).requireFinite();
    }

    @Test
    void loadIntoCopiesMatchingTensorsAndRefusesMismatchesNamingThem() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, model(), metadata());
        SafetensorsFile file = Safetensors.read(f);

        Map<String, Tensor> target = new LinkedHashMap<>();
        model().forEach((k, v) -> target.put(k, Tensor.zeros(v.shape().length == 0 ? new int[0] : v.shape())));
        file.loadInto(target);
        assertThat(target.get("in.conv.weight").data()).containsExactly(model().get("in.conv.weight").data());

        Map<String, Tensor> wrong = new LinkedHashMap<>();
        model().forEach((k, v) -> wrong.put(k, Tensor.zeros(v.shape())));
        wrong.remove("in.conv.bias");
        wrong.put("out.weight", Tensor.zeros(2));
        wrong.put("in.bn.running_mean", Tensor.zeros(8));
        CheckpointFormatException e = catchThrowableOfType(CheckpointFormatException.class, () -> file.loadInto(wrong));
        assertThat(e.getMessage()).contains(f.toString())
                .contains("missing tensors [out.weight]")
                .contains("unexpected tensors [in.conv.bias]")
                .contains("wrong shapes [in.bn.running_mean (file [16], expected [8])]");
        assertThat(e.tensor()).isEqualTo("out.weight");
        // Nothing was copied.
        assertThat(wrong.get("in.conv.weight").data()).containsOnly(0f);
    }

    @Test
    void failedWritesLeaveTheOldFileIntact() throws IOException {
        Path f = dir.resolve("ckpt.safetensors");
        Safetensors.write(f, model(), metadata());
        byte[] before = Files.readAllBytes(f);

        Map<String, Tensor> bad = new LinkedHashMap<>(model());
        bad.put("__metadata__", Tensor.zeros(1));
        assertThatThrownBy(() -> Safetensors.write(f, bad, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);

        // A failure in the middle of writing the content.
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        })).hasMessageContaining("disk full");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("ckpt.safetensors"));
        }
        assertThatThrownBy(() -> Safetensors.write(dir.resolve("no/such/dir/x.safetensors"), model()))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no/such/dir");
        assertThatThrownBy(() -> Safetensors.read(dir.resolve("absent.safetensors")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("absent.safetensors");
    }
}
