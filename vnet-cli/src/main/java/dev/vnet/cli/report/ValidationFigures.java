package dev.vnet.cli.report;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import dev.vnet.train.Figures;
import dev.vnet.train.PixelCounts;
import dev.vnet.train.TrainingListener;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The figure of a validation image: image | true mask | predicted mask | overlay, with a caption. */
public final class ValidationFigures {
    private static final int TITLE = 18;

    private ValidationFigures() {}

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
        BufferedImage[] panels = {base, Figures.maskImage(truth, offset, w, h, 0.5f),
            Figures.maskImage(probabilities, offset, w, h, threshold), Figures.overlay(base, probabilities, offset, threshold, truth, offset)};
        String[] titles = {"image", "true mask", "predicted mask", "overlay"};
        BufferedImage fig = panels(panels, titles, pw, ph, caption);
        ImageFiles.write(fig, file);
    }

    /**
     * {@return panels side by side, each {@code pw × ph} under its title, with a caption line below (none if
     * {@code null})}
     *
     * @param panels  the pictures, drawn scaled to the panel size
     * @param titles  a title per panel
     * @param pw      panel width in pixels
     * @param ph      panel height in pixels
     * @param caption the line below, or {@code null}
     */
    static BufferedImage panels(BufferedImage[] panels, String[] titles, int pw, int ph, String caption) {
        int gap = 4;
        int n = panels.length;
        BufferedImage fig = new BufferedImage(n * pw + (n + 1) * gap, ph + 2 * gap + 2 * TITLE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = fig.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, fig.getWidth(), fig.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            for (int i = 0; i < n; i++) {
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
        return fig;
    }

    /**
     * {@return a listener that writes {@code figures/<image>.png} for every validation image of a finished run, as the
     * best model predicted it: the four panels above for a mask model, {@link DetectionFigures} for a point detector}
     */
    public static TrainingListener writer() {
        return new TrainingListener() {
            @Override
            public void runEnded(FinalEvaluation e) throws IOException {
                Path dir = e.run().folder().dir().resolve("figures");
                Files.createDirectories(dir);
                if (e.detection() != null) {
                    for (ImagePrediction p : e.predictions()) {
                        DetectionFigures.write(dir.resolve(p.sample().name() + ".png"), p,
                                e.run().config().detection(), e.detection());
                    }
                    return;
                }
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
