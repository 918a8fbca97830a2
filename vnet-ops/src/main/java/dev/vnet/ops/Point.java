package dev.vnet.ops;

/**
 * A pixel position: column {@code x} and row {@code y}, both counted from 0 at the top-left corner.
 * Which image's pixels they are (the original camera image or a resized one) is stated by each method
 * that takes points.
 */
public record Point(int x, int y) {
    @Override
    public String toString() {
        return "(" + x + ", " + y + ")";
    }
}
