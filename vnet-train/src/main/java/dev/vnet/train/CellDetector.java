package dev.vnet.train;

import dev.vnet.ops.ConnectedComponents;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a predicted probability map into cells: threshold, connected components (8-connectivity),
 * drop components smaller than a minimum area, and return each remaining component's centroid (in
 * raster order of the components' first pixels, as {@link ConnectedComponents} labels them).
 */
public final class CellDetector {
    private CellDetector() {}

    /** A detected cell: its centroid in the map's pixels and its area in pixels. */
    public record Cell(double x, double y, int area) {
        /** The centroid as a point. */
        public CellMatch.Point centroid() {
            return new CellMatch.Point(x, y);
        }
    }

    /**
     * Detects cells in one {@code height × width} map stored row by row at {@code offset}.
     *
     * @param probabilities per-pixel blast probabilities
     * @param threshold     a pixel belongs to a cell when its probability is {@code >= threshold}
     * @param minArea       components with fewer pixels are ignored (noise)
     */
    public static List<Cell> detect(float[] probabilities, int offset, int width, int height, float threshold, int minArea) {
        boolean[] fg = new boolean[width * height];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = probabilities[offset + i] >= threshold;
        }
        return detect(fg, width, height, minArea);
    }

    /** Detects cells in a binary {@code height × width} mask stored row by row. */
    public static List<Cell> detect(boolean[] mask, int width, int height, int minArea) {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("cell detection: mask has " + mask.length + " pixels, "
                    + width + "x" + height + " needs " + width * height);
        }
        Image8 img = new Image8(width, height, 1);
        byte[] d = img.data();
        for (int i = 0; i < mask.length; i++) {
            d[i] = mask[i] ? (byte) 255 : 0;
        }
        return detect(img, minArea);
    }

    /** Detects cells in a 1-channel mask (nonzero = blast), e.g. a segmentation at the original size. */
    public static List<Cell> detect(Image8 mask, int minArea) {
        List<Cell> cells = new ArrayList<>();
        for (ConnectedComponents.Component c : ConnectedComponents.label(mask).components()) {
            if (c.area() >= minArea) {
                cells.add(new Cell(c.centroidX(), c.centroidY(), c.area()));
            }
        }
        return cells;
    }
}
