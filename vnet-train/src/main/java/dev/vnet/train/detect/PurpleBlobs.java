package dev.vnet.train.detect;

import dev.vnet.ops.ConnectedComponents;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the nuclear-stained (purple) blobs of a smear by colour alone: hue 230°–340° (OpenCV's 8-bit hue 115–170)
 * with saturation at least 70 of 255, in connected blobs of at least a minimum area. This is how the data card
 * counts the other white cells of ALL-IDB1; the blobs without a labelled blast are the detector's hard negatives,
 * the places a patch sampler must show the network because a blast looks most like them.
 */
public final class PurpleBlobs {
    /**
     * The smallest blob as a fraction of a blast diameter squared: the data card's cut of 1,500 px² for blasts of
     * 112 px (a blob ≈ 44 px across), which holds for any scale once expressed in blast sizes.
     */
    public static final double MIN_AREA_PER_DIAMETER_SQUARED = 1500 / (112.0 * 112.0);

    private PurpleBlobs() {}

    /**
     * {@return the purple pixels of an RGB image: 255 where the hue is 230°–340° and the saturation >= 70, else 0}
     *
     * @param rgb a 3-channel image
     */
    public static Image8 mask(Image8 rgb) {
        Image8.requireChannels("purple mask input", rgb.channels(), 3);
        byte[] s = rgb.data();
        Image8 m = new Image8(rgb.width(), rgb.height(), 1);
        byte[] d = m.data();
        for (int i = 0, j = 0; j < d.length; i += 3, j++) {
            int r = s[i] & 0xFF;
            int g = s[i + 1] & 0xFF;
            int b = s[i + 2] & 0xFF;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            int delta = max - min;
            // Saturation as OpenCV's 8-bit HSV: 255 · (max − min) / max.
            if (max == 0 || 255 * delta < 70 * max || delta == 0) {
                continue;
            }
            double hue;
            if (max == r) {
                hue = 60.0 * (g - b) / delta;
            } else if (max == g) {
                hue = 120 + 60.0 * (b - r) / delta;
            } else {
                hue = 240 + 60.0 * (r - g) / delta;
            }
            if (hue < 0) {
                hue += 360;
            }
            if (hue >= 230 && hue <= 340) {
                d[j] = (byte) 255;
            }
        }
        return m;
    }

    /**
     * {@return the centroids {x, y} of the purple blobs of at least {@code minArea} pixels, in raster order}
     *
     * @param rgb     the image
     * @param minArea the smallest blob kept, in the image's pixels
     */
    public static List<double[]> centres(Image8 rgb, double minArea) {
        List<double[]> out = new ArrayList<>();
        for (ConnectedComponents.Component c : ConnectedComponents.label(mask(rgb)).components()) {
            if (c.area() >= minArea) {
                out.add(new double[] {c.centroidX(), c.centroidY()});
            }
        }
        return out;
    }

    /**
     * {@return the blobs of {@code blobs} farther than {@code distance} from every point of {@code labelled}}
     *
     * @param blobs    blob centres {x, y}
     * @param labelled labelled blast centres {x, y}, same pixels
     * @param distance the distance within which a blob counts as a labelled blast
     */
    public static List<double[]> unlabelled(List<double[]> blobs, List<double[]> labelled, double distance) {
        List<double[]> out = new ArrayList<>();
        for (double[] b : blobs) {
            if (!anyWithin(labelled, b, distance * distance)) {
                out.add(b);
            }
        }
        return out;
    }

    /** {@return whether a point of {@code points} is within √{@code distance2} of {@code p} (both {x, y})} */
    static boolean anyWithin(List<double[]> points, double[] p, double distance2) {
        for (double[] q : points) {
            double dx = q[0] - p[0];
            double dy = q[1] - p[1];
            if (dx * dx + dy * dy <= distance2) {
                return true;
            }
        }
        return false;
    }
}
