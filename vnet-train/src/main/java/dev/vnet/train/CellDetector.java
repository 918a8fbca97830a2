package dev.vnet.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a predicted probability map into cells: threshold, connected components (8-connectivity),
 * drop components smaller than a minimum area, and return each remaining component's centroid.
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
        int[] label = new int[mask.length];
        int[] stack = new int[mask.length];
        List<Cell> cells = new ArrayList<>();
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || label[start] != 0) {
                continue;
            }
            next++;
            int sp = 0;
            stack[sp++] = start;
            label[start] = next;
            long sx = 0;
            long sy = 0;
            int area = 0;
            while (sp > 0) {
                int i = stack[--sp];
                int x = i % width;
                int y = i / width;
                sx += x;
                sy += y;
                area++;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        if (nx < 0 || nx >= width) {
                            continue;
                        }
                        int j = ny * width + nx;
                        if (mask[j] && label[j] == 0) {
                            label[j] = next;
                            stack[sp++] = j;
                        }
                    }
                }
            }
            if (area >= minArea) {
                cells.add(new Cell((double) sx / area, (double) sy / area, area));
            }
        }
        return cells;
    }
}
