package dev.vnet.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Damaged or hostile image files, built byte by byte so that no large image is ever allocated. */
public final class CraftedImages {
    private CraftedImages() {}

    /**
     * Writes a valid-looking 8-bit gray PNG whose header declares {@code width × height} pixels but whose data
     * hold only one compressed row: decoding it in full would need {@code width × height} bytes.
     *
     * @param file   the file to write
     * @param width  the declared width
     * @param height the declared height
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public static Path hugePng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater d = new Deflater();
        d.setInput(new byte[Math.min(width, 1 << 16) + 1]);
        d.finish();
        byte[] buf = new byte[1 << 12];
        int n = d.deflate(buf);
        d.end();
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, out.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * {@return the bytes of a JPEG up to and including its start-of-scan header: every header, no image data}
     *
     * @param jpeg a complete baseline JPEG
     */
    public static byte[] headersOnly(byte[] jpeg) {
        for (int i = 2; i + 3 < jpeg.length; ) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("not a JPEG marker at byte " + i);
            }
            int marker = jpeg[i + 1] & 0xFF;
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker == 0xDA) {
                return Arrays.copyOf(jpeg, i + 2 + length);
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("no start-of-scan marker");
    }
}
