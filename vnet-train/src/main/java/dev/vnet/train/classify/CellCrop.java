package dev.vnet.train.classify;

import dev.vnet.ops.Image8;

/**
 * One single-cell crop, already resized to the classifier's input size.
 *
 * @param name  where it comes from: an ALL-IDB2 id ({@code Im001_1}) or a smear's name with the cell's centre
 *              ({@code Im005_1@1204:877}, no comma: the name is a CSV field)
 * @param image the RGB crop, {@code inputSize × inputSize}
 * @param blast whether the centred cell is a blast
 */
public record CellCrop(String name, Image8 image, boolean blast) {}
