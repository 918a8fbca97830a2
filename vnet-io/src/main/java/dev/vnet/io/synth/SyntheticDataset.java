package dev.vnet.io.synth;

import dev.vnet.io.AtomicFiles;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.ops.Point;
import java.io.IOException;
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
 * The same configuration always gives the same files, byte for byte. Each file is written
 * atomically; {@link dev.vnet.io.allidb.AllIdb1Dataset#scan} reads the folder without a problem.
 * {@link #writeCrops} writes single-cell crops in the ALL-IDB2 layout instead.
 */
public final class SyntheticDataset {
    private SyntheticDataset() {}

    /**
     * Renders and writes every image of {@code config} under {@code dir} (created if missing).
     * Existing files of the same names are replaced; other files are left alone.
     *
     * @param dir    the data set folder
     * @param config the images to render
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
            ImageFiles.write(smear.image(), im.resolve(smear.name() + ".jpg"), config.jpegQuality() / 100f);
            List<Point> centres = smear.blastCentres();
            // ALL-IDB1's healthy files hold a single newline (some copies: nothing); write the usual one.
            AtomicFiles.write(xyc.resolve(smear.name() + ".xyc"),
                    centres.isEmpty() ? new byte[] {'\n'} : XycParser.format(centres));
            names.add(smear.name());
        }
        return names;
    }

    /** Side of an ALL-IDB2 crop in pixels. */
    public static final int CROP_SIZE = 257;

    /**
     * Writes single-cell crops in the ALL-IDB2 layout and format under {@code dir}: {@code img/ImXXX_Y.tif}, an
     * RGB TIFF of {@value #CROP_SIZE}×{@value #CROP_SIZE} (at the camera's magnification) with one white cell in
     * the centre, {@code Y = 1} for a blast and 0 for a normal white cell. As in ALL-IDB2 the first half are blasts
     * (the first {@code (n + 1) / 2}), the rest normal cells. {@link dev.vnet.io.allidb.AllIdb2Dataset#scan} reads
     * the folder.
     *
     * @param dir    the data set folder
     * @param config the camera ({@link SmearConfig#camera}, required; its frame is replaced by the crop size), the
     *               seed and the number of crops ({@link SmearConfig#imageCount})
     * @return the names written ({@code ImXXX_Y}), in order
     * @throws IOException              if a file cannot be written
     * @throws IllegalArgumentException if the configuration has no camera
     */
    public static List<String> writeCrops(Path dir, SmearConfig config) throws IOException {
        if (config.camera() == null) {
            throw new IllegalArgumentException("ALL-IDB2 crops need a camera (SmearConfig.withCamera); got none");
        }
        Path img = dir.resolve("img");
        Files.createDirectories(img);
        SmearGenerator generator = new SmearGenerator(config.withSize(CROP_SIZE, CROP_SIZE));
        int n = config.imageCount();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SyntheticSmear crop = generator.renderCell(i, i < (n + 1) / 2);
            ImageFiles.write(crop.image(), img.resolve(crop.name() + ".tif"));
            names.add(crop.name());
        }
        return names;
    }
}
