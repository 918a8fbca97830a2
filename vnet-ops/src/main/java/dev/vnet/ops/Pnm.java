package dev.vnet.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Binary PGM (P5, gray) and PPM (P6, RGB) with 8-bit samples: the simplest lossless image files,
 * readable without any image library. The test fixtures written by OpenCV are stored this way.
 */
public final class Pnm {
    private Pnm() {}

    /**
     * Writes {@code img} as P5 (1 channel) or P6 (3 channels, RGB).
     *
     * @param img the image
     * @param out the stream, left open
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Image8 img, OutputStream out) throws IOException {
        String header = (img.channels() == 1 ? "P5" : "P6") + "\n" + img.width() + " " + img.height() + "\n255\n";
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(img.data());
        out.flush();
    }

    /**
     * Encodes {@code img} as P5 or P6 bytes.
     *
     * @param img the image
     * @return the file's bytes
     */
    public static byte[] encode(Image8 img) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(img.data().length + 32);
        try {
            write(img, b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    /**
     * Reads a P5 or P6 file with maxval 255.
     *
     * @param in the stream, read to the end of the image
     * @return the image
     * @throws IOException if the stream is not such a file or ends early
     */
    public static Image8 read(InputStream in) throws IOException {
        String magic = token(in);
        int channels;
        if ("P5".equals(magic)) {
            channels = 1;
        } else if ("P6".equals(magic)) {
            channels = 3;
        } else {
            throw new IOException("not a binary PGM/PPM file: magic '" + magic + "', expected P5 or P6");
        }
        int w = number(in, "width");
        int h = number(in, "height");
        int max = number(in, "maxval");
        if (max != 255) {
            throw new IOException("PNM maxval " + max + " is not supported, expected 255");
        }
        if (w <= 0 || h <= 0 || (long) w * h * channels > Integer.MAX_VALUE - 8) {
            throw new IOException("PNM size " + w + "x" + h + " is not valid");
        }
        byte[] data = in.readNBytes(w * h * channels);
        if (data.length != w * h * channels) {
            throw new IOException("PNM data ends after " + data.length + " of " + w * h * channels + " bytes");
        }
        return new Image8(w, h, channels, data);
    }

    private static int number(InputStream in, String what) throws IOException {
        String t = token(in);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IOException("PNM " + what + " is not a number: '" + t + "'");
        }
    }

    // Reads one whitespace-delimited header token, skipping '#' comments; consumes one trailing whitespace byte.
    private static String token(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '#') {
                while ((c = in.read()) != -1 && c != '\n') {
                    // skip comment
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (b.length() > 0) {
                    return b.toString();
                }
                continue;
            }
            b.append((char) c);
            if (b.length() > 16) {
                throw new IOException("PNM header token too long");
            }
        }
        if (b.length() == 0) {
            throw new IOException("PNM header ends early");
        }
        return b.toString();
    }
}
