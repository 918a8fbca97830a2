package dev.vnet.io.checkpoint;

import static dev.vnet.io.Limits.mib;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes checkpoints in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so that weights open with PyTorch's {@code safetensors} tooling and anything else that knows the format.
 *
 * <p>The format: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8 JSON,
 * {@code {"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}};
 * then the data buffer, in which each tensor occupies {@code [begin, end)} (offsets relative to the buffer's
 * start) as raw little-endian values in row-major order.
 *
 * <p>Writing: every tensor as {@code F32}, in the map's iteration order both in the header and in the buffer
 * (so a model's {@code stateDict()} keeps its module order), {@code __metadata__} first and only when not
 * empty; the header is padded with spaces so the buffer starts at a multiple of 8 bytes. Writes are atomic
 * ({@link AtomicFiles}): a failure leaves the previous file intact.
 *
 * <p>Reading is strict; each of these is a {@link CheckpointFormatException} naming the file and, where it
 * concerns one, the tensor: a file shorter than its header says (truncated); a header length beyond the file or
 * beyond {@value #MAX_HEADER_BYTES} bytes; a header that is not UTF-8 JSON starting with <code>{</code>, has
 * fields other than the ones above, or repeats a name; a metadata value that is not a string; an unknown dtype;
 * a negative or non-integer dimension or offset; offsets whose length is not the number of elements times the
 * dtype's size, or that leave gaps, overlap, or do not end exactly at the end of the file; a tensor with a
 * zero-sized dimension or more than 2<sup>31</sup> elements (not representable by {@link Tensor}). Tensors of
 * dtypes other than {@code F32} ({@code F64, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL}) are
 * converted to float32 values; {@code F8_*} dtypes are refused. The header need not be padded to 8 bytes.
 * Allocation is bounded by the file's actual size, never by what its header claims, and a tensor needing more
 * memory than the Java heap has free is refused by name before it is allocated; sizes are computed in 64 bits,
 * so a tensor of more than 2 GiB is read (in chunks) when the heap allows.
 */
public final class Safetensors {
    /** The largest header accepted (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    private Safetensors() {}

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} without metadata.
     *
     * @param file    the file to write
     * @param tensors the tensors by name
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (as F32) and {@code metadata} to {@code file}, atomically.
     *
     * @param file     the file to write
     * @param tensors  the tensors by name
     * @param metadata string pairs for the header's {@code __metadata__}
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}, or a name, key or value is null
     * @throws IOException              if writing fails; the previous file is then intact
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> writeBody(out, header, tensors));
    }

    /**
     * Writes the complete file content {@link #write} writes to {@code out}, for example as one file of an
     * {@link dev.vnet.io.AtomicFolder} unit.
     *
     * @param out      the stream (not closed)
     * @param tensors  the tensors by name
     * @param metadata string pairs for the header's {@code __metadata__}
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}, or a name, key or value is null
     * @throws IOException              if the stream fails
     */
    public static void writeTo(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        writeBody(out, header(tensors, metadata), tensors);
    }

    /**
     * {@return the complete file content {@link #write} writes, in memory (for small tensors and tests)}
     *
     * @param tensors  the tensors by name
     * @param metadata string pairs for the header's {@code __metadata__}
     */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            writeBody(b, header, tensors);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.setHtmlSafe(false);
            w.beginObject();
            if (!metadata.isEmpty()) {
                w.name(METADATA).beginObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("metadata key and value must not be null: " + e);
                    }
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                if (name == null || METADATA.equals(name)) {
                    throw new IllegalArgumentException("tensor name must not be null or '" + METADATA + "'");
                }
                Tensor t = e.getValue();
                long bytes = 4L * t.size();
                w.name(name).beginObject().name("dtype").value("F32").name("shape").beginArray();
                for (int d : t.shape()) {
                    w.value(d);
                }
                w.endArray().name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
                w.endObject();
                offset += bytes;
            }
            w.endObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] json = sw.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    private static void writeBody(OutputStream out, byte[] header, Map<String, Tensor> tensors) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        out.write(chunk.array(), 0, 8);
        out.write(header);
        for (Tensor t : tensors.values()) {
            float[] data = t.data();
            for (int i = 0; i < data.length; ) {
                chunk.clear();
                int n = Math.min(chunk.capacity() / 4, data.length - i);
                chunk.asFloatBuffer().put(data, i, n);
                out.write(chunk.array(), 0, 4 * n);
                i += n;
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a safetensors file.
     *
     * @param file the file
     * @return the tensors and metadata
     * @throws CheckpointFormatException if the file is malformed (see the class comment)
     * @throws IOException               naming the file if it is missing or unreadable
     */
    public static SafetensorsFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Source() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void read(long position, ByteBuffer dst) throws IOException {
                    while (dst.hasRemaining()) {
                        int n = ch.read(dst, position);
                        if (n < 0) {
                            throw new CheckpointFormatException(file.toString(), null, "file ends early at byte "
                                    + position + " (it shrank while being read)");
                        }
                        position += n;
                    }
                }
            }, file.toString());
        }
    }

    /**
     * Parses the bytes of a safetensors file.
     *
     * @param content the file's bytes
     * @param source  names the content in error messages
     * @return the tensors and metadata
     * @throws CheckpointFormatException if the content is malformed (see the class comment)
     */
    public static SafetensorsFile parse(byte[] content, String source) throws CheckpointFormatException {
        try {
            return read(new Source() {
                @Override
                public long size() {
                    return content.length;
                }

                @Override
                public void read(long position, ByteBuffer dst) {
                    dst.put(content, (int) position, dst.remaining());
                }
            }, source);
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    private interface Source {
        long size() throws IOException;

        void read(long position, ByteBuffer dst) throws IOException;
    }

    private record Entry(String name, Dtype dtype, int[] shape, int count, long begin, long end) {}

    private static SafetensorsFile read(Source src, String source) throws IOException {
        long size = src.size();
        if (size < 8) {
            throw new CheckpointFormatException(source, null, "file has " + size
                    + " bytes, too short for the 8-byte header length: truncated or not a safetensors file");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(0, lenBuf);
        long headerLen = lenBuf.getLong(0);
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(source, null, "header length " + Long.toUnsignedString(headerLen)
                    + " is beyond the limit of " + MAX_HEADER_BYTES + " bytes: not a safetensors file");
        }
        if (headerLen > size - 8) {
            throw new CheckpointFormatException(source, null, "header length " + headerLen + " is beyond the end of the "
                    + size + "-byte file: truncated or not a safetensors file");
        }
        if (headerLen < 2) {
            throw new CheckpointFormatException(source, null, "header length " + headerLen
                    + " is too short for a JSON object");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        src.read(8, headerBuf);
        byte[] headerBytes = headerBuf.array();
        if (headerBytes[0] != '{') {
            throw new CheckpointFormatException(source, null, "header does not start with '{' (byte 0x"
                    + String.format("%02x", headerBytes[0] & 0xFF) + ")");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(source, null, "header is not valid UTF-8");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = parseHeader(json, source, metadata);

        long bufferLen = size - 8 - headerLen;
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin() != expected) {
                throw new CheckpointFormatException(source, e.name(), e.begin() < expected
                        ? "data_offsets [" + e.begin() + ", " + e.end() + "] overlap the previous tensor, which ends at "
                                + expected
                        : "data_offsets [" + e.begin() + ", " + e.end() + "] leave a gap: the previous tensor ends at "
                                + expected);
            }
            expected = e.end();
        }
        if (expected != bufferLen) {
            throw new CheckpointFormatException(source, null, expected > bufferLen
                    ? "the tensors need a data buffer of " + expected + " bytes but the file has " + bufferLen
                            + " after the header: truncated"
                    : "the data buffer has " + bufferLen + " bytes but the tensors cover only " + expected
                            + ": trailing bytes");
        }

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long dataStart = 8 + headerLen;
        for (Entry e : byOffset) {
            tensors.put(e.name(), Tensor.wrap(values(src, dataStart, e, source), e.shape()));
        }
        return new SafetensorsFile(source, tensors, metadata);
    }

    // Bytes read at a time: a tensor's data may exceed 2 GiB (2^31 - 9 values of 8 bytes), a ByteBuffer may not.
    private static final int CHUNK_BYTES = 1 << 20;

    /** Reads one tensor's values as float32, chunk by chunk; sizes in 64 bits, memory checked first. */
    private static float[] values(Source src, long dataStart, Entry e, String source) throws IOException {
        long floatBytes = 4L * e.count();
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (floatBytes > free) {
            throw new CheckpointFormatException(source, e.name(), "shape " + Shape.toString(e.shape()) + " holds "
                    + e.count() + " values, " + mib(floatBytes) + " as float32, more than the " + mib(free)
                    + " the Java heap has free (its limit is " + mib(rt.maxMemory()) + "; raise it with -Xmx)");
        }
        float[] out;
        try {
            out = new float[e.count()];
        } catch (OutOfMemoryError oom) {
            throw new CheckpointFormatException(source, e.name(), "not enough memory for " + e.count()
                    + " float32 values (" + mib(floatBytes) + "; the Java heap's limit is " + mib(rt.maxMemory())
                    + ": raise it with -Xmx)");
        }
        int size = e.dtype().bytes;
        ByteBuffer raw = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, e.end() - e.begin()))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = raw.capacity() / size;
        for (int done = 0; done < e.count(); ) {
            int n = Math.min(perChunk, e.count() - done);
            raw.clear().limit(n * size);
            src.read(dataStart + e.begin() + (long) done * size, raw);
            raw.flip();
            e.dtype().toFloats(raw, out, done, n);
            done += n;
        }
        return out;
    }

    private static List<Entry> parseHeader(String json, String source, Map<String, String> metadata)
            throws CheckpointFormatException {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String current = null;
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                current = name;
                if (!names.add(name)) {
                    throw new CheckpointFormatException(source, name, "the name appears twice in the header");
                }
                if (METADATA.equals(name)) {
                    current = null;
                    parseMetadata(r, source, metadata);
                } else {
                    entries.add(parseEntry(r, source, name));
                }
                current = null;
            }
            r.endObject();
            boolean end;
            try {
                end = r.peek() == JsonToken.END_DOCUMENT;
            } catch (IOException e) {
                end = false;
            }
            if (!end) {
                throw new CheckpointFormatException(source, null, "header has content after the JSON object");
            }
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // MalformedJsonException, EOFException, IllegalStateException (wrong token), NumberFormatException.
            throw new CheckpointFormatException(source, current, "header is not valid safetensors JSON: "
                    + jsonReason(e));
        }
        return entries;
    }

    // Gson's message without its advice on lenient parsing and its troubleshooting link.
    private static String jsonReason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        String advice = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";
        if (m.startsWith(advice)) {
            m = "malformed JSON" + m.substring(advice.length());
        }
        if (e instanceof java.io.EOFException) {
            m = "the JSON ends early (" + m + ")";
        }
        return m;
    }

    private static void parseMetadata(JsonReader r, String source, Map<String, String> metadata) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (metadata.containsKey(key)) {
                throw new CheckpointFormatException(source, null, "__metadata__ key '" + key + "' appears twice");
            }
            if (r.peek() != JsonToken.STRING) {
                throw new CheckpointFormatException(source, null, "__metadata__ value of '" + key + "' is a "
                        + r.peek() + ", expected a string");
            }
            metadata.put(key, r.nextString());
        }
        r.endObject();
    }

    private static Entry parseEntry(JsonReader r, String source, String name) throws IOException {
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            throw new CheckpointFormatException(source, name, "entry is a " + r.peek() + ", expected an object");
        }
        r.beginObject();
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (r.hasNext()) {
            String field = r.nextName();
            switch (field) {
                case "dtype" -> {
                    if (dtypeName != null || r.peek() != JsonToken.STRING) {
                        throw new CheckpointFormatException(source, name, "'dtype' must appear once, as a string");
                    }
                    dtypeName = r.nextString();
                }
                case "shape" -> {
                    if (shape != null) {
                        throw new CheckpointFormatException(source, name, "'shape' appears twice");
                    }
                    shape = integers(r, source, name, "shape", 64);
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw new CheckpointFormatException(source, name, "'data_offsets' appears twice");
                    }
                    offsets = integers(r, source, name, "data_offsets", 2);
                }
                default -> throw new CheckpointFormatException(source, name, "unknown field '" + field
                        + "'; expected dtype, shape and data_offsets");
            }
        }
        r.endObject();
        if (dtypeName == null || shape == null || offsets == null) {
            throw new CheckpointFormatException(source, name, "entry lacks "
                    + (dtypeName == null ? "'dtype'" : shape == null ? "'shape'" : "'data_offsets'"));
        }
        Dtype dtype = Dtype.of(dtypeName, source, name);
        if (offsets.length != 2) {
            throw new CheckpointFormatException(source, name, "data_offsets has " + offsets.length
                    + " numbers, expected [begin, end]");
        }
        long count = 1;
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                throw new CheckpointFormatException(source, name, "shape " + java.util.Arrays.toString(shape)
                        + " has a zero-sized dimension, which a Tensor cannot hold");
            }
            count *= shape[i];
            if (shape[i] > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 8) {
                throw new CheckpointFormatException(source, name, "shape " + java.util.Arrays.toString(shape)
                        + " has more than 2^31 elements, which a Tensor cannot hold");
            }
            dims[i] = (int) shape[i];
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointFormatException(source, name, "data_offsets [" + begin + ", " + end
                    + "] end before they begin");
        }
        if (end - begin != count * dtype.bytes) {
            throw new CheckpointFormatException(source, name, "data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Shape.toString(dims) + " of " + dtypeName + " needs "
                    + count * dtype.bytes);
        }
        return new Entry(name, dtype, dims, (int) count, begin, end);
    }

    // A JSON array of non-negative integers (at most maxLength of them).
    private static long[] integers(JsonReader r, String source, String name, String field, int maxLength)
            throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) {
            throw new CheckpointFormatException(source, name, "'" + field + "' is a " + r.peek() + ", expected an array");
        }
        r.beginArray();
        List<Long> values = new ArrayList<>();
        while (r.hasNext()) {
            if (values.size() == maxLength) {
                throw new CheckpointFormatException(source, name, "'" + field + "' has more than " + maxLength
                        + " numbers");
            }
            if (r.peek() != JsonToken.NUMBER) {
                throw new CheckpointFormatException(source, name, "'" + field + "' holds a " + r.peek()
                        + ", expected whole numbers");
            }
            String text = r.nextString();
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(source, name, "'" + field + "' holds '" + text
                        + "', expected a whole number below 2^63");
            }
            if (v < 0) {
                throw new CheckpointFormatException(source, name, "'" + field + "' holds the negative number " + v);
            }
            values.add(v);
        }
        r.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** The dtypes of the format, with their size in bytes and their conversion to float32. */
    private enum Dtype {
        F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1),
        F8_E4M3(1), F8_E5M2(1);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        static Dtype of(String name, String source, String tensor) throws CheckpointFormatException {
            for (Dtype d : values()) {
                if (d.name().equals(name)) {
                    if (d == F8_E4M3 || d == F8_E5M2) {
                        throw new CheckpointFormatException(source, tensor, "dtype " + name
                                + " is not supported; expected F32 (or another dtype convertible to float32)");
                    }
                    return d;
                }
            }
            throw new CheckpointFormatException(source, tensor, "unknown dtype '" + name
                    + "'; expected one of F32, F64, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL");
        }

        /** Converts {@code n} values from {@code b} into {@code out[from, from + n)}. */
        void toFloats(ByteBuffer b, float[] out, int from, int n) {
            switch (this) {
                case F32 -> b.asFloatBuffer().get(out, from, n);
                case F64 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = (float) b.getDouble();
                    }
                }
                case F16 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = halfToFloat(b.getShort());
                    }
                }
                case BF16 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                    }
                }
                case I64 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.getLong();
                    }
                }
                case I32 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.getInt();
                    }
                }
                case I16 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.getShort();
                    }
                }
                case I8 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.get();
                    }
                }
                case U64 -> {
                    for (int i = from; i < from + n; i++) {
                        long v = b.getLong();
                        out[i] = v >= 0 ? v : (float) (v >>> 1) * 2f;
                    }
                }
                case U32 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.getInt() & 0xFFFFFFFFL;
                    }
                }
                case U16 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.getShort() & 0xFFFF;
                    }
                }
                case U8 -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.get() & 0xFF;
                    }
                }
                case BOOL -> {
                    for (int i = from; i < from + n; i++) {
                        out[i] = b.get() != 0 ? 1f : 0f;
                    }
                }
                default -> throw new IllegalStateException("dtype " + this + " has no conversion");
            }
        }

        // IEEE 754 binary16 to float32 (Float.float16ToFloat arrives only in Java 20).
        static float halfToFloat(short h) {
            int sign = (h & 0x8000) << 16;
            int exp = (h >>> 10) & 0x1F;
            int mant = h & 0x3FF;
            if (exp == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
            }
            if (exp == 0) {
                // Zero or subnormal: mant * 2^-24, exact in float32.
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
    }
}
