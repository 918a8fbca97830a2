package dev.vnet.train.detect;

/**
 * One blast found by the {@link PeakDecoder}.
 *
 * @param x     the centre's column, in pixels of the image the caller asked for (original pixels from
 *              {@link PeakDecoder#decode})
 * @param y     the centre's row, same pixels
 * @param score the heat-map's value at the peak, in [0, 1]: how sure the network is
 * @param area  the area of the peak above half its height, in the same pixels squared
 */
public record DetectedCell(double x, double y, float score, double area) {}
