package dev.vnet.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * Square patches around points, for the visual check of the method (50×50 crops around every
 * blast-cell coordinate, written to a {@code segmented_cells} folder).
 *
 * <p>The window for centre {@code (cx, cy)} and size {@code S} covers columns
 * {@code cx - S/2 .. cx - S/2 + S - 1} (integer division), the same as the slice
 * {@code img[cy-S//2 : cy-S//2+S, cx-S//2 : cx-S//2+S]} in Python; for S = 50 that is
 * {@code cx - 25 .. cx + 24}. Near the border:
 * <ul>
 *   <li>{@link Border#SHIFT_INSIDE} (default): the window is moved the least distance that puts it
 *       inside the image, so the patch holds only image pixels but the point is no longer at its
 *       centre;</li>
 *   <li>{@link Border#PAD_BLACK}: the window stays centred on the point and the part outside the
 *       image is black (0).</li>
 * </ul>
 * In a direction where the image is smaller than {@code S}, the patch starts at the image's first
 * pixel and is padded with black after its last, under either policy. A patch is always {@code S × S}
 * with the image's channel count; no point, inside the image or not, causes an exception.
 */
public final class Patches {
    private Patches() {}

    /** The patch size of the method, in pixels of the image the patches are cut from. */
    public static final int DEFAULT_SIZE = 50;

    /** What happens where a window reaches past the image border. */
    public enum Border {
        /** Move the window inside the image (the default). */
        SHIFT_INSIDE,
        /** Keep the window centred; pixels outside the image are black. */
        PAD_BLACK
    }

    /**
     * {@return a {@link #DEFAULT_SIZE} patch around {@code centre}, shifted inside the image at the border}
     *
     * @param img    the image
     * @param centre the centre, in the image's pixels
     */
    public static Image8 crop(Image8 img, Point centre) {
        return crop(img, centre, DEFAULT_SIZE, Border.SHIFT_INSIDE);
    }

    /**
     * {@return an {@code size × size} patch around {@code centre} (in {@code img} pixels)}
     *
     * @param img    the image
     * @param centre the centre, in the image's pixels
     * @param size   the side in pixels
     * @param border what happens where the window leaves the image
     * @throws IllegalArgumentException if {@code size < 1} or {@code border} is null
     */
    public static Image8 crop(Image8 img, Point centre, int size, Border border) {
        if (size < 1) {
            throw new IllegalArgumentException("patch size must be >= 1 pixel, got " + size);
        }
        return crop(img, centre, size, size, border);
    }

    /**
     * A {@code width × height} window around {@code centre} (in {@code img} pixels), placed in each
     * direction as a square patch of that side would be.
     *
     * @param img    the image to crop
     * @param centre the window's centre, in {@code img} pixels
     * @param width  the window's width in pixels
     * @param height the window's height in pixels
     * @param border what to do where the window leaves the image
     * @return a new {@code width × height} image with {@code img}'s channels
     * @throws IllegalArgumentException if {@code width} or {@code height} is below 1 or {@code border} is null
     */
    public static Image8 crop(Image8 img, Point centre, int width, int height, Border border) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("patch width and height must be >= 1 pixel, got " + width + "x" + height);
        }
        if (border == null) {
            throw new IllegalArgumentException("border policy must be SHIFT_INSIDE or PAD_BLACK, got null");
        }
        int left = origin(centre.x(), width, img.width(), border);
        int top = origin(centre.y(), height, img.height(), border);
        int ch = img.channels();
        Image8 out = new Image8(width, height, ch);
        byte[] src = img.data();
        byte[] dst = out.data();
        int x0 = Math.max(left, 0);
        int x1 = Math.min(left + width, img.width());
        if (x0 >= x1) {
            return out;
        }
        for (int y = 0; y < height; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= img.height()) {
                continue;
            }
            System.arraycopy(src, (sy * img.width() + x0) * ch, dst, (y * width + (x0 - left)) * ch, (x1 - x0) * ch);
        }
        return out;
    }

    /**
     * {@return one patch per point, in the order of {@code centres}}
     *
     * @param img     the image
     * @param centres the centres, in the image's pixels
     * @param size    the side in pixels
     * @param border  what happens where a window leaves the image
     */
    public static List<Image8> cropAll(Image8 img, List<Point> centres, int size, Border border) {
        List<Image8> out = new ArrayList<>(centres.size());
        for (Point p : centres) {
            out.add(crop(img, p, size, border));
        }
        return out;
    }

    /**
     * {@return the first column (or row) of the window for a centre coordinate {@code c}, a patch of {@code size} and
     * an image extent {@code extent}; may be negative or run past the image under {@link Border#PAD_BLACK}}
     *
     * @param c      the centre coordinate
     * @param size   the patch side
     * @param extent the image width (or height)
     * @param border what happens where the window leaves the image
     */
    public static int origin(int c, int size, int extent, Border border) {
        if (extent <= size) {
            return 0;
        }
        long start = (long) c - size / 2;
        if (border == Border.SHIFT_INSIDE) {
            start = Math.max(0, Math.min(start, extent - size));
        }
        return (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, start));
    }
}
