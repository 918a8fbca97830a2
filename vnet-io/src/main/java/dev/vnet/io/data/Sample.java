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

    /** Checks that exactly one of {@code imagePath} and {@code image} is given and copies the centres. */
    public Sample {
        Objects.requireNonNull(name, "name");
        if ((imagePath == null) == (image == null)) {
            throw new IllegalArgumentException("sample " + name + ": give exactly one of an image path and an image");
        }
        centres = List.copyOf(centres);
    }

    /** A sample whose image is read from {@code imagePath} when needed. */
    public static Sample ofFile(String name, Path imagePath, List<Point> centres, boolean label) {
        return new Sample(name, Objects.requireNonNull(imagePath, "imagePath"), null, centres, label);
    }

    /** A sample whose image is already in memory. */
    public static Sample ofImage(String name, Image8 image, List<Point> centres, boolean label) {
        return new Sample(name, null, Objects.requireNonNull(image, "image"), centres, label);
    }

    /** A sample of an ALL-IDB1 copy (or of a synthetic data set read back), named by its id. */
    public static Sample of(AllIdb1Sample s) {
        return ofFile(s.id(), s.imagePath(), s.centres(), s.label());
    }

    /** The image: the one in memory, or the file decoded to RGB ({@link ImageFiles#readRgb}). */
    public Image8 load() throws IOException {
        if (image != null) {
            return image;
        }
        return ImageFiles.readRgb(imagePath);
    }

    /** The name, with the file when there is one: what an error message should say. */
    public String describe() {
        return imagePath == null ? name : name + " (" + imagePath + ")";
    }
}
