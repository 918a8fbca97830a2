package dev.vnet.train;

import dev.vnet.io.Point;
import dev.vnet.io.data.PreparedSample;
import dev.vnet.io.data.Preprocessor;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.Clahe;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import dev.vnet.ops.MedianBlur;
import dev.vnet.ops.Resize;
import java.util.ArrayList;
import java.util.List;

/**
 * The method's preparation of a smear, configured by {@link PreprocessSettings}: gray → resize
 * (bilinear) → Gaussian blur → median blur → CLAHE for the image; filled circles drawn at the
 * original resolution and resized with nearest neighbour for the true mask. Stateless and thread safe.
 */
public final class SmearPreprocessor implements Preprocessor {
    private final PreprocessSettings settings;

    /**
     * A preprocessor for {@code settings}.
     *
     * @param settings the preprocessing
     */
    public SmearPreprocessor(PreprocessSettings settings) {
        this.settings = settings;
    }

    /** {@return the settings} */
    public PreprocessSettings settings() {
        return settings;
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
        PreprocessSettings s = settings;
        Image8 img = original;
        if (s.gray() && img.channels() == 3) {
            img = ColorConvert.toGray(img);
        } else if (!s.gray() && img.channels() == 1) {
            img = ColorConvert.grayToRgb(img);
        }
        if (img.width() != s.width() || img.height() != s.height()) {
            img = Resize.apply(img, s.width(), s.height(), Resize.Interpolation.LINEAR);
        }
        if (s.gaussianKernel() > 0) {
            img = GaussianBlur.apply(img, s.gaussianKernel(), s.gaussianSigma());
        }
        if (s.medianKernel() > 0) {
            img = MedianBlur.apply(img, s.medianKernel());
        }
        if (s.claheClip() > 0) {
            img = Clahe.apply(img, s.claheClip(), s.claheTilesX(), s.claheTilesY());
        }
        return img;
    }

    /**
     * {@return the true mask at the network's size: circles at the original resolution, resized (nearest)}
     *
     * @param originalWidth  original image width
     * @param originalHeight original image height
     * @param centres        blast centres in original pixels
     */
    public Image8 prepareMask(int originalWidth, int originalHeight, List<Point> centres) {
        Image8 full = originalMask(originalWidth, originalHeight, centres);
        if (originalWidth == settings.width() && originalHeight == settings.height()) {
            return full;
        }
        return Resize.apply(full, settings.width(), settings.height(), Resize.Interpolation.NEAREST);
    }

    /**
     * {@return the true mask at the original size: 255 inside the circles, 0 elsewhere}
     *
     * @param originalWidth  original image width
     * @param originalHeight original image height
     * @param centres        blast centres in original pixels
     */
    public Image8 originalMask(int originalWidth, int originalHeight, List<Point> centres) {
        List<dev.vnet.ops.Point> pts = new ArrayList<>(centres.size());
        for (Point p : centres) {
            pts.add(new dev.vnet.ops.Point(p.x(), p.y()));
        }
        return CircleMask.discs(originalWidth, originalHeight, pts, settings.radiusFor(originalWidth));
    }
}
