package dev.vnet.ops;

/**
 * An 8-bit image with 1 (gray) or 3 channels, stored row by row with channels interleaved, as
 * OpenCV's {@code CV_8UC1} / {@code CV_8UC3} are: the value of channel {@code ch} at column
 * {@code x}, row {@code y} is {@code data[(y * width + x) * channels + ch] & 0xFF}. Three-channel
 * images are in RGB order (OpenCV's are BGR: the tests and the I/O layer say where the order matters).
 */
public final class Image8 {
    private final int width;
    private final int height;
    private final int channels;
    private final byte[] data;

    /**
     * Wraps {@code data} (not copied).
     *
     * @param width    columns, at least 1
     * @param height   rows, at least 1
     * @param channels 1 or 3
     * @param data     {@code width · height · channels} bytes, interleaved, row-major
     * @throws IllegalArgumentException if a size is not positive, the channel count is not 1 or 3,
     *                                  or the array's length does not match
     */
    public Image8(int width, int height, int channels, byte[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        requireChannels("image", channels, 1, 3);
        if ((long) width * height * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " is too large");
        }
        if (data.length != width * height * channels) {
            throw new IllegalArgumentException("image data has " + data.length + " bytes, " + width + "x" + height
                    + "x" + channels + " needs " + width * height * channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /**
     * A black image.
     *
     * @param width    columns, at least 1
     * @param height   rows, at least 1
     * @param channels 1 or 3
     */
    public Image8(int width, int height, int channels) {
        this(width, height, channels, new byte[checkedSize(width, height, channels)]);
    }

    private static int checkedSize(int width, int height, int channels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        requireChannels("image", channels, 1, 3);
        long n = (long) width * height * channels;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " is too large");
        }
        return (int) n;
    }

    /**
     * Fails with a message naming {@code what} unless {@code channels} is one of {@code allowed}.
     *
     * @param what     what the image is, for the error message
     * @param channels the channel count found
     * @param allowed  the counts accepted
     */
    public static void requireChannels(String what, int channels, int... allowed) {
        for (int a : allowed) {
            if (channels == a) {
                return;
            }
        }
        throw new IllegalArgumentException(what + ": " + channels + " channels, expected "
                + java.util.Arrays.toString(allowed).replace("[", "").replace("]", "").replace(", ", " or "));
    }

    /** {@return width in pixels (columns)} */
    public int width() {
        return width;
    }

    /** {@return height in pixels (rows)} */
    public int height() {
        return height;
    }

    /**
     * 1 or 3.
     *
     * @return the channel count, 1 or 3
     */
    public int channels() {
        return channels;
    }

    /** {@return the interleaved bytes, row-major} Not a copy. */
    public byte[] data() {
        return data;
    }

    /**
     * {@return channel {@code ch} at column {@code x}, row {@code y}, as 0..255}
     *
     * @param x  column
     * @param y  row
     * @param ch channel, 0-based
     */
    public int get(int x, int y, int ch) {
        return data[(y * width + x) * channels + ch] & 0xFF;
    }

    /**
     * Sets channel {@code ch} at column {@code x}, row {@code y} to {@code value} (0..255).
     *
     * @param x     column
     * @param y     row
     * @param ch    channel, 0-based
     * @param value the new value, 0..255
     */
    public void set(int x, int y, int ch, int value) {
        data[(y * width + x) * channels + ch] = (byte) value;
    }

    /** {@return a deep copy} */
    public Image8 copy() {
        return new Image8(width, height, channels, data.clone());
    }

    /**
     * {@return whether both images have the same size, channels and bytes}
     *
     * @param o the other image
     */
    public boolean sameAs(Image8 o) {
        return o != null && width == o.width && height == o.height && channels == o.channels
                && java.util.Arrays.equals(data, o.data);
    }

    @Override
    public String toString() {
        return "Image8[" + width + "x" + height + "x" + channels + "]";
    }
}
