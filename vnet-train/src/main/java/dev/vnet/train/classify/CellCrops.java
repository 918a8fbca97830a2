package dev.vnet.train.classify;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.AllIdb2Dataset;
import dev.vnet.io.allidb.AllIdb2Sample;
import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Patches;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import dev.vnet.train.detect.PurpleBlobs;
import dev.vnet.train.detect.WorkingScale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads single-cell crops for the classifier, from either layout:
 * <ul>
 *   <li>ALL-IDB2 ({@code img/ImXXX_Y.tif}, one cell centred, Y = 1 for a blast), through {@link AllIdb2Dataset}; the
 *       synthetic crops of {@code vnet synth --crops} have this layout;</li>
 *   <li>ALL-IDB1 ({@code im/} and {@code xyc/}, whole smears), through {@link AllIdb1Dataset}: a crop is cut around
 *       every labelled blast (label 1) and around every purple blob of a white cell's size that no label is near
 *       (label 0: the other white cells, the hard negatives the point detector trains on, found as
 *       {@link PurpleBlobs} finds them).</li>
 * </ul>
 * A crop cut from a smear has the context of an ALL-IDB2 crop: {@link #CROP_PER_BLAST_DIAMETER} blast diameters, 257 px
 * around a blast of 112 px on ALL-IDB1's cameras. Every crop is resized (area interpolation) to the classifier's input
 * size as it is read, so memory holds only the small crops.
 */
public final class CellCrops {
    /** The side of an ALL-IDB2 crop (257 px) over the blast diameter of the cameras it was cut from (112 px). */
    public static final double CROP_PER_BLAST_DIAMETER = 257.0 / WorkingScale.ALL_IDB1_BLAST_DIAMETER;

    private CellCrops() {}

    /**
     * {@return whether {@code dir} holds an ALL-IDB2 layout ({@code img/} somewhere under it) rather than ALL-IDB1}
     *
     * @param dir the folder the user gave
     */
    public static boolean isAllIdb2(Path dir) {
        try {
            AllIdb2Dataset.scan(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the crops of {@code dir} in either layout.
     *
     * @param dir           an ALL-IDB2- or ALL-IDB1-layout folder
     * @param side          the classifier's input side in pixels
     * @param blastDiameter for an ALL-IDB1 layout, the blast diameter in the smears' pixels (112 on ALL-IDB1)
     * @param warnings      receives one line per problem found in the data (the affected files are left out)
     * @return the crops, in file order
     * @throws IOException if the folder is neither layout or a file cannot be read
     */
    public static List<CellCrop> read(Path dir, int side, double blastDiameter, Consumer<String> warnings)
            throws IOException {
        return isAllIdb2(dir) ? readAllIdb2(dir, side, warnings) : cutFromSmears(dir, side, blastDiameter, warnings);
    }

    /**
     * Reads an ALL-IDB2-layout folder.
     *
     * @param dir      the folder ({@code img/} in it or one or two levels down)
     * @param side     the classifier's input side in pixels
     * @param warnings receives one line per problem of the scan
     * @return one crop per image, sorted by id
     * @throws IOException if there is no {@code img/} folder or an image cannot be read
     */
    public static List<CellCrop> readAllIdb2(Path dir, int side, Consumer<String> warnings) throws IOException {
        DatasetScan<AllIdb2Sample> scan = AllIdb2Dataset.scan(dir);
        report(scan.problems(), warnings);
        List<CellCrop> out = new ArrayList<>(scan.samples().size());
        for (AllIdb2Sample s : scan.samples()) {
            out.add(new CellCrop(s.id(), resized(ImageFiles.readRgb(s.imagePath()), side), s.label()));
        }
        return out;
    }

    /**
     * Cuts crops from an ALL-IDB1-layout folder: around each labelled blast, and around each unlabelled purple blob
     * of at least a small white cell's area that lies farther than half a blast diameter from every label.
     *
     * @param dir           the folder ({@code im/} and {@code xyc/})
     * @param side          the classifier's input side in pixels
     * @param blastDiameter the blast diameter in the smears' pixels
     * @param warnings      receives one line per problem of the scan
     * @return the crops, smear by smear
     * @throws IOException if the folder is not in the layout or an image cannot be read
     */
    public static List<CellCrop> cutFromSmears(Path dir, int side, double blastDiameter, Consumer<String> warnings)
            throws IOException {
        if (!(blastDiameter >= 4)) {
            throw new IllegalArgumentException("blast diameter must be at least 4 px, got " + blastDiameter);
        }
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(dir);
        report(scan.problems(), warnings);
        List<CellCrop> out = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            Image8 smear = ImageFiles.readRgb(s.imagePath());
            List<double[]> blasts = new ArrayList<>();
            for (Point p : s.centres()) {
                blasts.add(new double[] {p.x(), p.y()});
                out.add(new CellCrop(name(s.id(), p.x(), p.y()), cut(smear, p.x(), p.y(), blastDiameter, side), true));
            }
            double minArea = PurpleBlobs.MIN_AREA_PER_DIAMETER_SQUARED * blastDiameter * blastDiameter;
            List<double[]> others = PurpleBlobs.unlabelled(PurpleBlobs.centres(smear, minArea), blasts,
                    blastDiameter / 2);
            for (double[] c : others) {
                int x = (int) Math.round(c[0]);
                int y = (int) Math.round(c[1]);
                out.add(new CellCrop(name(s.id(), x, y), cut(smear, x, y, blastDiameter, side), false));
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no cell found in " + dir + ": no labelled blast and no purple blob of at least "
                    + "a white cell's size");
        }
        return out;
    }

    /**
     * {@return the crop around ({@code x}, {@code y}) of {@link #CROP_PER_BLAST_DIAMETER} blast diameters, shifted
     * inside the image at its border, resized to {@code side × side}}
     *
     * @param smear         the RGB smear at full resolution
     * @param x             the cell's centre, in the smear's pixels
     * @param y             the cell's centre, in the smear's pixels
     * @param blastDiameter the blast diameter in the smear's pixels
     * @param side          the classifier's input side
     */
    public static Image8 cut(Image8 smear, int x, int y, double blastDiameter, int side) {
        int crop = (int) Math.round(CROP_PER_BLAST_DIAMETER * blastDiameter);
        crop = Math.min(crop, Math.min(smear.width(), smear.height()));
        return resized(Patches.crop(smear, new Point(x, y), crop, crop, Patches.Border.SHIFT_INSIDE), side);
    }

    /**
     * {@return {@code rgb} resized to {@code side × side} (area interpolation when shrinking, linear when enlarging)}
     *
     * @param rgb  an RGB crop
     * @param side the classifier's input side
     */
    public static Image8 resized(Image8 rgb, int side) {
        if (rgb.width() == side && rgb.height() == side) {
            return rgb;
        }
        boolean shrink = rgb.width() >= side && rgb.height() >= side;
        return Resize.apply(rgb, side, side, shrink ? Resize.Interpolation.AREA : Resize.Interpolation.LINEAR);
    }

    /**
     * {@return the crops of {@code files}, each resized to the input side; an image of any layout or name}
     *
     * @param files image files, each one single-cell crop
     * @param side  the classifier's input side
     * @throws IOException if a file cannot be read
     */
    public static List<Image8> readImages(List<Path> files, int side) throws IOException {
        List<Image8> out = new ArrayList<>(files.size());
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new java.nio.file.NoSuchFileException(f.toString());
            }
            out.add(resized(ImageFiles.readRgb(f), side));
        }
        return out;
    }

    /**
     * {@return the files the crops of {@code dir} are read from (images, and {@code .xyc} files of an ALL-IDB1 layout),
     * for the run's record of its data}
     *
     * @param dir an ALL-IDB2- or ALL-IDB1-layout folder
     * @throws IOException if the folder is neither layout
     */
    public static List<Path> dataFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (isAllIdb2(dir)) {
            AllIdb2Dataset.scan(dir).samples().forEach(s -> files.add(s.imagePath()));
        } else {
            for (AllIdb1Sample s : AllIdb1Dataset.scan(dir).samples()) {
                files.add(s.imagePath());
                files.add(s.coordinatesPath());
            }
        }
        return files;
    }

    private static String name(String smear, int x, int y) {
        return String.format(Locale.ROOT, "%s@%d:%d", smear, x, y);
    }

    private static void report(List<DatasetProblem> problems, Consumer<String> warnings) {
        for (DatasetProblem p : problems) {
            warnings.accept("left out: " + p);
        }
    }
}
