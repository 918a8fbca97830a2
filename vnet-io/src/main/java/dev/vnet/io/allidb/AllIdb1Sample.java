package dev.vnet.io.allidb;

import dev.vnet.ops.Point;
import java.nio.file.Path;
import java.util.List;

/**
 * One ALL-IDB1 image with its blast-cell centres.
 *
 * @param id              the name without extension, e.g. {@code Im001_1}
 * @param imagePath       the JPEG file
 * @param coordinatesPath the {@code .xyc} file
 * @param label           true (name ends in {@code _1}) for an image of an ALL patient, with at least one blast;
 *                        false ({@code _0}) for a healthy subject
 * @param centres         blast-cell centres in the stored pixel grid of the image (empty for healthy images)
 * @param width           the image width in pixels, read from the file header
 * @param height          the image height in pixels, read from the file header
 */
public record AllIdb1Sample(String id, Path imagePath, Path coordinatesPath, boolean label, List<Point> centres,
        int width, int height) {
    /**
     * Copies the point list.
     *
     * @param id              the name without extension, e.g. {@code Im001_1}
     * @param imagePath       the JPEG file
     * @param coordinatesPath the {@code .xyc} file
     * @param label           true (name ends in {@code _1}) for an image of an ALL patient, with at least one blast;
     *                        false ({@code _0}) for a healthy subject
     * @param centres         blast-cell centres in the stored pixel grid of the image (empty for healthy images)
     * @param width           the image width in pixels, read from the file header
     * @param height          the image height in pixels, read from the file header
     */
    public AllIdb1Sample {
        centres = List.copyOf(centres);
    }
}
