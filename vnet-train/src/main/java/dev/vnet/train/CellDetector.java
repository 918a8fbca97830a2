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
        /** {@return the centroid as a point} */
        public CellMatch.Point centroid() {
            return new CellMatch.Point(x, y);
        }
    }

    /**
     * Detects cells in one {@code height × width} map stored row by row at {@code offset}.
     *
     * @param probabilities per-pixel blast probabilities
     * @param offset        index of the map's first value
     * @param width         map width
     * @param height        map height
     * @param threshold     a pixel belongs to a cell when its probability is {@code >= threshold}
     * @param minArea       components with fewer pixels are ignored (noise)
     * @return the cells, in raster order
     */
    public static List<Cell> detect(float[] probabilities, int offset, int width, int height, float threshold, int minArea) {
        boolean[] fg = new boolean[width * height];
        for (int i = 0; i < fg.length; i++) {
            fg[i] = probabilities[offset + i] >= threshold;
        }
        return detect(fg, width, height, minArea);
    }

    /**
     * Detects cells in a binary {@code height × width} mask stored row by row.
     *
     * @param mask    the mask, {@code true} on blast pixels
     * @param width   mask width
     * @param height  mask height
     * @param minArea smallest cell kept, in pixels
     * @return the cells, in raster order
     */
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

    /**
     * Detects cells in a 1-channel mask (nonzero = blast), e.g. a segmentation at the original size.
     *
     * @param mask    the mask
     * @param minArea smallest cell kept, in pixels
     * @return the cells, in raster order
     */
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
