package dev.vnet.ops.preprocess;

import dev.vnet.ops.Image8;

/**
 * A sample after preprocessing: the network's input image and the true mask, of the same width and height.
 *
 * @param image the preprocessed image, 1 (gray) or 3 (RGB) channels
 * @param mask  one channel, nonzero (normally 255) inside blast cells, 0 elsewhere
 */
public record PreparedSample(Image8 image, Image8 mask) {
    /**
     * Checks that the mask has one channel and the image's size.
     *
     * @param image the preprocessed image, 1 (gray) or 3 (RGB) channels
     * @param mask  one channel, nonzero (normally 255) inside blast cells, 0 elsewhere
     */
    public PreparedSample {
        if (mask.channels() != 1) {
            throw new IllegalArgumentException("mask must have 1 channel, got " + mask.channels());
        }
        if (mask.width() != image.width() || mask.height() != image.height()) {
            throw new IllegalArgumentException("mask is " + mask.width() + "x" + mask.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
    }

    /**
     * Bytes held in memory by both images.
     *
     * @return the byte count
     */
    public long byteSize() {
        return (long) image.data().length + mask.data().length;
    }
}
