package dev.vnet.io.synth;

import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;

/**
 * One rendered smear.
 *
 * @param name  the ALL-IDB1 style name without extension, {@code ImXXX_Y}
 * @param all   whether the image is from an ALL patient (has blasts; {@code Y = 1})
 * @param image the RGB image
 * @param cells every white cell drawn (blasts and the normal white cells), in drawing order
 */
public record SyntheticSmear(String name, boolean all, Image8 image, List<Cell> cells) {

    /** The kinds of white cell the generator draws. Only {@link #BLAST} is written to the coordinate file. */
    public enum CellType {
        /** A lymphoblast: large round nucleus with fine chromatin and a thin rim of pale blue cytoplasm. */
        BLAST,
        /** A normal small lymphocyte: small, dark, dense nucleus with scant cytoplasm. */
        LYMPHOCYTE,
        /** A neutrophil: 3 to 5 nuclear lobes in granular pinkish cytoplasm. */
        NEUTROPHIL
    }

    /**
     * A white cell.
     *
     * @param type   what it is
     * @param x      centre column in pixels
     * @param y      centre row in pixels
     * @param radius radius of the whole cell (cytoplasm included) in pixels
     */
    public record Cell(CellType type, int x, int y, double radius) {}

    /** {@return the blasts, in drawing order: the cells whose centres go to the {@code .xyc} file} */
    public List<Cell> blasts() {
        return cells.stream().filter(c -> c.type() == CellType.BLAST).toList();
    }

    /** {@return the blast centres as written to the {@code .xyc} file: x = column, y = row} */
    public List<Point> blastCentres() {
        return blasts().stream().map(c -> new Point(c.x(), c.y())).toList();
    }
}
