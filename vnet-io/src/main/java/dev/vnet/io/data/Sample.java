package dev.vnet.io.data;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One training or validation example: an image (a file to decode or an image in memory), the blast
 * centres in that image's own pixel grid, and its label.
 *
 * @param name      a name unique within the data set (ALL-IDB1's {@code ImXXX_Y}); it names the sample in errors
 *                  and keys caches and per-sample random streams
 * @param imagePath the image file, or {@code null} when {@code image} is given
 * @param image     the image in memory, or {@code null} when {@code imagePath} is given
 * @param centres   blast centres, x = column, y = row, in the original image's pixels
 * @param label     true for an image of an ALL patient
 */
public record Sample(String name, Path imagePath, Image8 image, List<Point> centres, boolean label) {

    /**
     * Checks that exactly one of {@code imagePath} and {@code image} is given and copies the centres.
     *
     * @param name      a name unique within the data set (ALL-IDB1's {@code ImXXX_Y}); it names the sample in errors
     *                  and keys caches and per-sample random streams
     * @param imagePath the image file, or {@code null} when {@code image} is given
     * @param image     the image in memory, or {@code null} when {@code imagePath} is given
     * @param centres   blast centres, x = column, y = row, in the original image's pixels
     * @param label     true for an image of an ALL patient
     */
    public Sample {
        Objects.requireNonNull(name, "name");
        if ((imagePath == null) == (image == null)) {
            throw new IllegalArgumentException("sample " + name + ": give exactly one of an image path and an image");
        }
        centres = List.copyOf(centres);
    }

    /**
     * {@return a sample whose image is read from {@code imagePath} when needed}
     *
     * @param name      a unique name
     * @param imagePath the image file
     * @param centres   blast centres in the image's pixels
     * @param label     true for an ALL image
     */
    public static Sample ofFile(String name, Path imagePath, List<Point> centres, boolean label) {
        return new Sample(name, Objects.requireNonNull(imagePath, "imagePath"), null, centres, label);
    }

    /**
     * {@return a sample whose image is already in memory}
     *
     * @param name    a unique name
     * @param image   the image
     * @param centres blast centres in the image's pixels
     * @param label   true for an ALL image
     */
    public static Sample ofImage(String name, Image8 image, List<Point> centres, boolean label) {
        return new Sample(name, null, Objects.requireNonNull(image, "image"), centres, label);
    }

    /**
     * {@return a sample of an ALL-IDB1 copy (or of a synthetic data set read back), named by its id}
     *
     * @param s the ALL-IDB1 sample
     */
    public static Sample of(AllIdb1Sample s) {
        return ofFile(s.id(), s.imagePath(), s.centres(), s.label());
    }

    /**
     * {@return the image: the one in memory, or the file decoded to RGB ({@link ImageFiles#readRgb})}
     *
     * @throws IOException if a file cannot be read or written
     */
    public Image8 load() throws IOException {
        if (image != null) {
            return image;
        }
        return ImageFiles.readRgb(imagePath);
    }

    /** {@return the name, with the file when there is one: what an error message should say} */
    public String describe() {
        return imagePath == null ? name : name + " (" + imagePath + ")";
    }
}
