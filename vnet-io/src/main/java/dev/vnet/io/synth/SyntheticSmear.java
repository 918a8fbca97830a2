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
 * @param cells every white cell drawn (blasts, labelled or not, and the other white cells), in drawing order
 */
public record SyntheticSmear(String name, boolean all, Image8 image, List<Cell> cells) {

    /** The kinds of white cell the generator draws. Only {@link #BLAST} is written to the coordinate file. */
    public enum CellType {
        /** A lymphoblast: large round nucleus with fine chromatin and a thin rim of pale blue cytoplasm. */
        BLAST,
        /** A normal lymphocyte: a smaller, very dark nucleus of clumped chromatin with scant cytoplasm (large ones
         *  come close to a blast's size). */
        LYMPHOCYTE,
        /** A neutrophil: 2 to 5 nuclear lobes in granular pinkish cytoplasm. */
        NEUTROPHIL,
        /** A monocyte: large, with a folded (kidney-shaped) nucleus of lacy chromatin in grey-blue cytoplasm. */
        MONOCYTE,
        /** A smudged (broken) cell: a pale, streaky, irregular smear of nuclear material without cytoplasm. */
        SMUDGE
    }

    /**
     * A white cell.
     *
     * @param type   what it is
     * @param x      centre column in pixels
     * @param y      centre row in pixels
     * @param radius radius of the whole cell (cytoplasm included) in pixels
     * @param labelled whether its centre is written to the {@code .xyc} file (only blasts are, and not every one
     *               when labels are left out on purpose)
     */
    public record Cell(CellType type, int x, int y, double radius, boolean labelled) {
        /**
         * A cell that is labelled if and only if it is a blast.
         *
         * @param type   what it is
         * @param x      centre column in pixels
         * @param y      centre row in pixels
         * @param radius radius of the whole cell in pixels
         */
        public Cell(CellType type, int x, int y, double radius) {
            this(type, x, y, radius, type == CellType.BLAST);
        }
    }

    /** {@return the labelled blasts, in drawing order: the cells whose centres go to the {@code .xyc} file} */
    public List<Cell> blasts() {
        return cells.stream().filter(Cell::labelled).toList();
    }

    /** {@return the blasts drawn but left out of the {@code .xyc} file} */
    public List<Cell> unlabelledBlasts() {
        return cells.stream().filter(c -> c.type() == CellType.BLAST && !c.labelled()).toList();
    }

    /** {@return the blast centres as written to the {@code .xyc} file: x = column, y = row} */
    public List<Point> blastCentres() {
        return blasts().stream().map(c -> new Point(c.x(), c.y())).toList();
    }
}
