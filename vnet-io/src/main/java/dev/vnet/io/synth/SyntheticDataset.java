package dev.vnet.io.synth;

import dev.vnet.io.synth.SyntheticSmear.Cell;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the project's bundled default data set: a folder in exactly the ALL-IDB1 layout and
 * format, rendered by {@link SmearGenerator}.
 * <pre>
 * dir/im/Im001_1.jpg     RGB baseline JPEG
 * dir/xyc/Im001_1.xyc    one "x TAB y" line per blast centre (x = column, y = row, whole pixels),
 *                        '\n' line ends; a healthy image's file holds a single newline
 * </pre>
 * The same configuration always gives the same files, byte for byte.
 */
public final class SyntheticDataset {
    private SyntheticDataset() {}

    /**
     * Renders and writes every image of {@code config} under {@code dir} (created if missing).
     * Existing files of the same names are replaced; other files are left alone.
     *
     * @return the names written ({@code ImXXX_Y}), in order
     * @throws IOException if a file cannot be written
     */
    public static List<String> write(Path dir, SmearConfig config) throws IOException {
        Path im = dir.resolve("im");
        Path xyc = dir.resolve("xyc");
        Files.createDirectories(im);
        Files.createDirectories(xyc);
        SmearGenerator generator = new SmearGenerator(config);
        List<String> names = new ArrayList<>(config.imageCount());
        for (int i = 0; i < config.imageCount(); i++) {
            SyntheticSmear smear = generator.render(i);
            writeJpeg(smear.image(), im.resolve(smear.name() + ".jpg"), config.jpegQuality());
            Files.writeString(xyc.resolve(smear.name() + ".xyc"), xycText(smear.blasts()), StandardCharsets.US_ASCII);
            names.add(smear.name());
        }
        return names;
    }

    /** The {@code .xyc} text for these blasts: {@code x\ty\n} per blast, or a single newline when there are none. */
    static String xycText(List<Cell> blasts) {
        if (blasts.isEmpty()) {
            return "\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Cell c : blasts) {
            sb.append(c.x()).append('\t').append(c.y()).append('\n');
        }
        return sb.toString();
    }

    private static void writeJpeg(Image8 image, Path file, int quality) throws IOException {
        java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(image.width(), image.height(),
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                b.setRGB(x, y, (image.get(x, y, 0) << 16) | (image.get(x, y, 1) << 8) | image.get(x, y, 2));
            }
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(
                Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(b, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
