package dev.vnet.io;

/**
 * A pixel position: {@code x} the column, {@code y} the row, origin at the top-left pixel of the stored pixel
 * grid (as in ALL-IDB1's {@code .xyc} files).
 *
 * @param x column, 0 or more
 * @param y row, 0 or more
 */
public record Point(int x, int y) {
    /**
     * @param x column, 0 or more
     * @param y row, 0 or more
     * @throws IllegalArgumentException if a coordinate is negative
     */
    public Point {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("point coordinates must be 0 or more, got (" + x + ", " + y + ")");
        }
    }
}
