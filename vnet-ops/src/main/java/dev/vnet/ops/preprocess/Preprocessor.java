package dev.vnet.ops.preprocess;

import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;

/**
 * Turns a decoded image and its blast centres into the network's input and true mask: for the
 * published method, gray, resize to 256x256, Gaussian and median blur and CLAHE for the image, and
 * circles drawn at the original resolution then resized for the mask. {@link SmearPreprocessor} is that
 * preparation; the data loader takes the interface, so that its tests can give it a preparation whose result
 * they know.
 *
 * <p>Must be deterministic and safe to call from several threads at once.
 */
@FunctionalInterface
public interface Preprocessor {
    /**
     * @param original the decoded image at its own resolution
     * @param centres  blast centres in {@code original}'s pixels
     * @return the preprocessed image and mask (same width and height)
     */
    PreparedSample prepare(Image8 original, List<Point> centres);
}
