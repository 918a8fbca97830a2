package dev.vnet.ops.preprocess;

import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import java.util.List;

/**
 * The method's preparation of a smear, configured by {@link PreprocessConfig}: the image goes through
 * the settings' {@link Pipeline} (gray → resize (bilinear) → Gaussian blur → median blur → CLAHE), the
 * true mask is {@link Pipeline#mask}: filled circles drawn at the original resolution, resized with
 * nearest neighbour. Training, evaluation and segmentation all prepare images through it. Stateless and thread
 * safe.
 */
public final class SmearPreprocessor implements Preprocessor {
    private final PreprocessConfig settings;
    private final Pipeline pipeline;

    /**
     * A preprocessor for {@code settings}.
     *
     * @param settings the preprocessing
     */
    public SmearPreprocessor(PreprocessConfig settings) {
        this.settings = settings;
        this.pipeline = settings.pipeline();
    }

    /** {@return the settings} */
    public PreprocessConfig settings() {
        return settings;
    }

    /** {@return the image steps these settings give} */
    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public PreparedSample prepare(Image8 original, List<Point> centres) {
        return new PreparedSample(prepareImage(original), prepareMask(original.width(), original.height(), centres));
    }

    /**
     * {@return the network's input for an image of any size}
     *
     * @param original the image, gray or RGB, any size
     */
    public Image8 prepareImage(Image8 original) {
        // An RGB model fed a gray file sees the gray level in all three channels.
        Image8 img = !settings.gray() && original.channels() == 1 ? ColorConvert.grayToRgb(original) : original;
        return pipeline.apply(img);
    }

    /**
     * {@return the true mask at the network's size: circles at the original resolution, resized (nearest)}
     *
     * @param originalWidth  original image width
     * @param originalHeight original image height
     * @param centres        blast centres in original pixels
     */
    public Image8 prepareMask(int originalWidth, int originalHeight, List<Point> centres) {
        return pipeline.mask(originalWidth, originalHeight, centres, settings.radiusFor(originalWidth));
    }
}
