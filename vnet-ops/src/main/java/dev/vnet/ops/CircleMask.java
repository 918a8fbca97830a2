package dev.vnet.ops;

import java.util.List;

/**
 * Filled discs on 1-channel masks, pixel for pixel as OpenCV 4.6's
 * {@code cv2.circle(img, (cx, cy), r, value, thickness=-1, lineType=cv2.LINE_8)} draws them: OpenCV's
 * integer midpoint circle fills, on row {@code cy ± dy}, the columns {@code cx - dx .. cx + dx}, which is
 * the lattice disc {@code (x - cx)² + (y - cy)² <= r²} (radius 0 is the single centre pixel). Pixels
 * outside the canvas are skipped, so a disc may be centred near or outside the border.
 *
 * <p>Pixel units: {@link #discs} and {@link #fillDisc} take centres and radius in the pixels of the
 * canvas they draw on. The method this project implements draws its true masks on a canvas the size of
 * the <em>original</em> camera image with the radius in original-image pixels (25, in
 * {@code PreprocessConfig.paper()}), and only then resizes the mask; {@link #discsScaled} instead maps centres
 * and radius from original-image pixels to the pixels of a target size and draws there.
 */
public final class CircleMask {
    private CircleMask() {}

    /**
     * Sets the disc of radius {@code radius} around ({@code cx}, {@code cy}) to {@code value}; centre and
     * radius in {@code canvas} pixels. Same pixels as {@code cv2.circle(canvas, (cx, cy), radius, value, -1,
     * LINE_8)}.
     *
     * @param canvas 1-channel image, changed in place
     * @param cx     centre column
     * @param cy     centre row
     * @param radius radius in pixels, 0 or more
     * @param value  0..255
     * @throws IllegalArgumentException for a negative radius, a value outside 0..255 or a canvas that
     *                                  does not have 1 channel
     */
    public static void fillDisc(Image8 canvas, int cx, int cy, int radius, int value) {
        Image8.requireChannels("circle canvas", canvas.channels(), 1);
        checkRadius(radius);
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("circle value must be in 0..255, got " + value);
        }
        fillDiscUnchecked(canvas.data(), canvas.width(), canvas.height(), cx, cy, radius, (byte) value);
    }

    /**
     * {@return a black {@code width × height} mask with a white (255) disc of {@code radius} around every centre;
     * centres and radius in the pixels of this mask}
     *
     * @param width   mask width in pixels
     * @param height  mask height in pixels
     * @param centres disc centres, x = column, y = row
     * @param radius  radius in pixels
     * @throws IllegalArgumentException for a negative radius or a non-positive size
     */
    public static Image8 discs(int width, int height, List<Point> centres, int radius) {
        checkRadius(radius);
        Image8 mask = new Image8(width, height, 1);
        for (Point p : centres) {
            fillDiscUnchecked(mask.data(), width, height, p.x(), p.y(), radius, (byte) 255);
        }
        return mask;
    }

    /**
     * {@return a {@code targetWidth × targetHeight} mask with discs drawn directly at the target size, for centres
     * and radius given in <em>original-image</em> pixels ({@code originalWidth × originalHeight})} Each centre is
     * mapped with {@link #scalePoint} and the radius with {@link #scaleRadius}. This is not the same as drawing at
     * the original size and resizing the mask: with different horizontal and vertical scales the resized disc is an
     * ellipse, this one stays a disc.
     *
     * @param originalWidth   original image width in pixels
     * @param originalHeight  original image height in pixels
     * @param centresOriginal centres in original pixels
     * @param radiusOriginal  radius in original pixels
     * @param targetWidth     mask width in pixels
     * @param targetHeight    mask height in pixels
     * @throws IllegalArgumentException for a negative radius or a non-positive size
     */
    public static Image8 discsScaled(int originalWidth, int originalHeight, List<Point> centresOriginal,
                                     int radiusOriginal, int targetWidth, int targetHeight) {
        checkSize("original", originalWidth, originalHeight);
        checkSize("target", targetWidth, targetHeight);
        checkRadius(radiusOriginal);
        int r = scaleRadius(radiusOriginal, originalWidth, originalHeight, targetWidth, targetHeight);
        Image8 mask = new Image8(targetWidth, targetHeight, 1);
        for (Point p : centresOriginal) {
            Point q = scalePoint(p, originalWidth, originalHeight, targetWidth, targetHeight);
            fillDiscUnchecked(mask.data(), targetWidth, targetHeight, q.x(), q.y(), r, (byte) 255);
        }
        return mask;
    }

    /**
     * {@return the target-size pixel that contains the centre of original pixel {@code p}: {@code x' = floor((x +
     * 0.5) · targetWidth / originalWidth)} (the pixel-centre convention that OpenCV's {@code resize} uses), likewise
     * for y} Points outside the original map outside the target.
     *
     * @param p              a pixel of the original image
     * @param originalWidth  original image width
     * @param originalHeight original image height
     * @param targetWidth    target width
     * @param targetHeight   target height
     */
    public static Point scalePoint(Point p, int originalWidth, int originalHeight, int targetWidth, int targetHeight) {
        checkSize("original", originalWidth, originalHeight);
        checkSize("target", targetWidth, targetHeight);
        int x = (int) Math.floor((p.x() + 0.5) * targetWidth / originalWidth);
        int y = (int) Math.floor((p.y() + 0.5) * targetHeight / originalHeight);
        return new Point(x, y);
    }

    /**
     * {@return a radius in original-image pixels expressed in target pixels: {@code round(r · sqrt(sx · sy))} with
     * {@code sx = targetWidth / originalWidth}, {@code sy = targetHeight / originalHeight}, so the disc keeps the
     * area of the (possibly elliptic) resized disc}
     *
     * @param radiusOriginal radius in original pixels
     * @param originalWidth  original image width
     * @param originalHeight original image height
     * @param targetWidth    target width
     * @param targetHeight   target height
     */
    public static int scaleRadius(int radiusOriginal, int originalWidth, int originalHeight, int targetWidth,
                                  int targetHeight) {
        checkRadius(radiusOriginal);
        checkSize("original", originalWidth, originalHeight);
        checkSize("target", targetWidth, targetHeight);
        double sx = (double) targetWidth / originalWidth;
        double sy = (double) targetHeight / originalHeight;
        return (int) Math.round(radiusOriginal * Math.sqrt(sx * sy));
    }

    private static void checkRadius(int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("circle radius must be >= 0 (pixels), got " + radius);
        }
    }

    private static void checkSize(String what, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException(what + " size must be positive, got " + w + "x" + h);
        }
    }

    // OpenCV's Circle(..., fill=1): midpoint circle in integers, one horizontal span per (dx, dy) octant pair.
    static void fillDiscUnchecked(byte[] data, int w, int h, int cx, int cy, int radius, byte value) {
        int err = 0;
        int dx = radius;
        int dy = 0;
        int plus = 1;
        int minus = (radius << 1) - 1;
        while (dx >= dy) {
            span(data, w, h, cy - dy, cx - dx, cx + dx, value);
            span(data, w, h, cy + dy, cx - dx, cx + dx, value);
            span(data, w, h, cy - dx, cx - dy, cx + dy, value);
            span(data, w, h, cy + dx, cx - dy, cx + dy, value);
            dy++;
            err += plus;
            plus += 2;
            int mask = (err <= 0 ? 1 : 0) - 1;
            err -= minus & mask;
            dx += mask;
            minus -= mask & 2;
        }
    }

    private static void span(byte[] data, int w, int h, int y, int x0, int x1, byte value) {
        if (y < 0 || y >= h) {
            return;
        }
        int a = Math.max(x0, 0);
        int b = Math.min(x1, w - 1);
        if (a > b) {
            return;
        }
        java.util.Arrays.fill(data, y * w + a, y * w + b + 1, value);
    }

    /** Lattice-disc membership, the specification the midpoint fill meets. */
    static boolean inLatticeDisc(int x, int y, int cx, int cy, int radius) {
        long ddx = x - cx;
        long ddy = y - cy;
        return ddx * ddx + ddy * ddy <= (long) radius * radius;
    }
}
