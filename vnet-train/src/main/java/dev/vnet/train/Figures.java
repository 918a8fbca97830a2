package dev.vnet.train;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.train.TrainingListener.FinalEvaluation;
import dev.vnet.train.TrainingListener.ImagePrediction;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pictures for people: a validation figure (image | true mask | predicted mask | overlay) and the
 * overlay of a predicted mask on an image. Overlays show the predicted blast pixels tinted red and the
 * outline of the true mask in green.
 */
public final class Figures {
    private static final int TITLE = 18;

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

    /**
     * Writes the four-panel validation figure to {@code file}: the image as the model sees it, the true
     * mask, the predicted mask and the overlay, each {@code width × height}.
     *
     * @param file          the PNG file
     * @param image         the network's input
     * @param truth         the true mask
     * @param probabilities the predicted probabilities
     * @param offset        index of the image's first value in both arrays
     * @param threshold     the probability above which a pixel is blast
     * @param caption       the title line
     * @throws IOException if a file cannot be read or written
     */
    public static void writeValidationFigure(Path file, Image8 image, float[] truth, float[] probabilities, int offset,
                                             float threshold, String caption) throws IOException {
        int w = image.width();
        int h = image.height();
        int scale = Math.max(1, 256 / Math.max(w, h));
        int pw = w * scale;
        int ph = h * scale;
        BufferedImage base = ImageFiles.toBufferedImage(image);
        BufferedImage[] panels = {base, maskImage(truth, offset, w, h, 0.5f),
            maskImage(probabilities, offset, w, h, threshold), overlay(base, probabilities, offset, threshold, truth, offset)};
        String[] titles = {"image", "true mask", "predicted mask", "overlay"};
        int gap = 4;
        BufferedImage fig = new BufferedImage(4 * pw + 5 * gap, ph + 2 * gap + 2 * TITLE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = fig.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, fig.getWidth(), fig.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            for (int i = 0; i < 4; i++) {
                int x0 = gap + i * (pw + gap);
                g.drawString(titles[i], x0, TITLE - 4);
                g.drawImage(panels[i], x0, TITLE, pw, ph, null);
            }
            if (caption != null) {
                g.drawString(caption, gap, TITLE + ph + TITLE);
            }
        } finally {
            g.dispose();
        }
        ImageFiles.write(fig, file);
    }

    /**
     * {@return a listener that writes {@code figures/<image>.png} for every validation image of a finished run, as the
     * best model predicted it}
     */
    public static TrainingListener validationFigures() {
        return new TrainingListener() {
            @Override
            public void runEnded(FinalEvaluation e) throws IOException {
                Path dir = e.run().folder().dir().resolve("figures");
                Files.createDirectories(dir);
                float threshold = e.run().config().evaluation().threshold();
                for (ImagePrediction p : e.predictions()) {
                    Sample sample = p.sample();
                    PixelCounts c = PixelCounts.of(p.probabilities(), p.truth(), 0, p.truth().length, threshold);
                    String caption = String.format(Locale.ROOT, "%s  label %s  blasts %d  Dice %.3f", sample.name(),
                            sample.label() ? "ALL" : "healthy", sample.centres().size(), c.dice());
                    writeValidationFigure(dir.resolve(sample.name() + ".png"), p.image(), p.truth(), p.probabilities(),
                            0, threshold, caption);
                }
            }
        };
    }
}
