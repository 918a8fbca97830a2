package dev.vnet.train;

import dev.vnet.io.ImageFiles;
import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * Pictures for people: a mask as an image and the overlay of a predicted mask on an image. Overlays show the predicted blast pixels tinted red and the
 * outline of the true mask in green.
 */
public final class Figures {
    private Figures() {}

    /**
     * {@return a binary mask ({@code value >= 0.5} white) as a gray image}
     *
     * @param mask      the mask values
     * @param offset    index of the first value
     * @param width     width in pixels
     * @param height    height in pixels
     * @param threshold the cut between black and white
     */
    public static BufferedImage maskImage(float[] mask, int offset, int width, int height, float threshold) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.getRaster().setSample(x, y, 0, mask[offset + y * width + x] >= threshold ? 255 : 0);
            }
        }
        return out;
    }

    /**
     * {@return {@code image} with predicted pixels tinted red and the outline of {@code truth} (may be {@code null})
     * drawn in green} Masks are {@code height × width} row-major at {@code offset}, the image's size.
     *
     * @param image       the image
     * @param predicted   predicted probabilities at the image's size
     * @param predOffset  index of the first predicted value
     * @param threshold   the probability above which a pixel is tinted
     * @param truth       the true mask, or {@code null}
     * @param truthOffset index of the first true value
     */
    public static BufferedImage overlay(BufferedImage image, float[] predicted, int predOffset, float threshold,
                                        float[] truth, int truthOffset) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (predicted[predOffset + y * w + x] >= threshold) {
                    r = (r + 255) / 2;
                    g = g / 2;
                    b = b / 2;
                }
                if (truth != null && edge(truth, truthOffset, w, h, x, y)) {
                    r = 0;
                    g = 220;
                    b = 0;
                }
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static boolean edge(float[] m, int off, int w, int h, int x, int y) {
        if (m[off + y * w + x] < 0.5f) {
            return false;
        }
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || m[off + y * w + x - 1] < 0.5f || m[off + y * w + x + 1] < 0.5f
                || m[off + (y - 1) * w + x] < 0.5f || m[off + (y + 1) * w + x] < 0.5f;
    }
}
