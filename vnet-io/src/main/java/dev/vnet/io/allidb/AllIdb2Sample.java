package dev.vnet.io.allidb;

import java.nio.file.Path;

/**
 * One ALL-IDB2 single-cell crop.
 *
 * @param id        the name without extension, e.g. {@code Im001_1}
 * @param imagePath the TIFF file
 * @param label     true ({@code _1}) if the centre cell is a blast, false ({@code _0}) otherwise
 * @param width     the image width in pixels, read from the file header
 * @param height    the image height in pixels, read from the file header
 */
public record AllIdb2Sample(String id, Path imagePath, boolean label, int width, int height) {}
