package dev.vnet.io.data;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;

/**
 * Conversions between 8-bit images (channels interleaved, {@code [H, W, C]}) and the model's float input
 * (channels first, {@code [C, H, W]}, values in [0, 1]: a byte {@code v} becomes {@code v / 255}).
 */
public final class ImageTensors {
    private ImageTensors() {}

    /**
     * Writes {@code img} as {@code [C, H, W]} floats in [0, 1] into {@code dst} from {@code offset}.
     *
     * @param img    the image
     * @param dst    the array to write into
     * @param offset the index of the first value written
     * @throws IllegalArgumentException if {@code dst} has fewer than {@code offset + C·H·W} elements
     */
    public static void toChannelsFirst(Image8 img, float[] dst, int offset) {
        int c = img.channels();
        int plane = img.width() * img.height();
        if (offset < 0 || dst.length - offset < c * plane) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats; " + img + " needs "
                    + c * plane + " from offset " + offset);
        }
        byte[] src = img.data();
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                dst[offset + ch * plane + p] = (src[p * c + ch] & 0xFF) / 255f;
            }
        }
    }

    /**
     * {@return {@code img} as a {@code [1, C, H, W]} tensor in [0, 1]}
     *
     * @param img the image
     */
    public static Tensor toTensor(Image8 img) {
        float[] x = new float[img.channels() * img.width() * img.height()];
        toChannelsFirst(img, x, 0);
        return Tensor.wrap(x, 1, img.channels(), img.height(), img.width());
    }

    /**
     * Image {@code index} of a {@code [N, C, H, W]} batch in [0, 1] as an 8-bit image: each value times 255,
     * rounded and clamped to [0, 255], so {@link #toChannelsFirst} followed by this gives the image back.
     *
     * @param nchw  the batch's values
     * @param index which image of the batch
     * @param c     channels
     * @param h     height in pixels
     * @param w     width in pixels
     * @return a new {@code w × h} image with {@code c} channels
     */
    public static Image8 fromChannelsFirst(float[] nchw, int index, int c, int h, int w) {
        Image8 img = new Image8(w, h, c);
        byte[] d = img.data();
        int plane = h * w;
        int base = index * c * plane;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < plane; i++) {
                int v = Math.round(nchw[base + ch * plane + i] * 255f);
                d[i * c + ch] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return img;
    }
}
