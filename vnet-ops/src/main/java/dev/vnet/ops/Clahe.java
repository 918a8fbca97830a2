package dev.vnet.ops;

/**
 * Contrast limited adaptive histogram equalisation, bit-identical to OpenCV 4.6's
 * {@code cv2.createCLAHE(clipLimit, (tilesX, tilesY)).apply(gray)} on 8-bit images.
 *
 * <p>The algorithm, step by step as OpenCV does it:
 * <ol>
 *   <li>The image is split into {@code tilesX × tilesY} tiles. When the width does not divide by
 *       {@code tilesX} <em>or</em> the height does not divide by {@code tilesY}, the image is padded on
 *       the right by {@code tilesX - width % tilesX} columns and at the bottom by
 *       {@code tilesY - height % tilesY} rows with {@code BORDER_REFLECT_101}. (OpenCV's quirk, kept:
 *       when only one side does not divide, the other is padded by a whole {@code tiles} count.)
 *       Tile size = padded size / tiles.</li>
 *   <li>Each tile's 256-bin histogram is clipped at
 *       {@code max((int) (clipLimit * tileArea / 256), 1)}; {@code clipLimit == 0} means no clipping.
 *       The clipped count is redistributed: {@code clipped / 256} to every bin, then the remaining
 *       {@code residual} one at a time to bins {@code 0, step, 2·step, ...} with
 *       {@code step = max(256 / residual, 1)}.</li>
 *   <li>Each tile's lookup table is its cumulative histogram times the float
 *       {@code lutScale = 255f / tileArea}, rounded half to even and saturated.</li>
 *   <li>Every pixel of the (unpadded) image is mapped through the four neighbouring tiles' tables and
 *       blended bilinearly in float, with OpenCV's exact expressions
 *       ({@code txf = x * (1f / tileWidth) - 0.5f}, ...), then rounded half to even.</li>
 * </ol>
 *
 * <p>Colour images: {@link ColorMode#LAB_LIGHTNESS} (the usual recipe, and the default) converts RGB
 * to 8-bit Lab with {@link ColorConvert#rgbToLab}, equalises L and converts back with
 * {@link ColorConvert#labToRgb}; {@link ColorMode#EACH_CHANNEL} equalises R, G and B independently.
 *
 * <p>Large images are processed by the threads of the current {@link dev.vnet.parallel.WorkerPool} (tiles for the tables, fixed bands
 * of rows for the interpolation); every thread count gives the same bytes, because every output byte is
 * computed by the same expression from the same inputs, whichever thread computes it.
 */
public final class Clahe {
    private Clahe() {}

    /** How a 3-channel image is equalised. */
    public enum ColorMode {
        /** RGB → Lab (8-bit, OpenCV's {@code COLOR_RGB2Lab}), CLAHE on L, Lab → RGB. */
        LAB_LIGHTNESS,
        /** CLAHE on R, G and B independently. */
        EACH_CHANNEL
    }

    /** OpenCV's default clip limit for {@code createCLAHE()}. */
    public static final double OPENCV_DEFAULT_CLIP_LIMIT = 40.0;

    /**
     * CLAHE of a 1-channel image, or of a 3-channel image on the L channel of Lab.
     *
     * @param img       1 or 3 channels
     * @param clipLimit contrast limit relative to a flat histogram, {@code >= 0}; 0 disables clipping
     * @param tilesX    tiles across, {@code >= 1}
     * @param tilesY    tiles down, {@code >= 1}
     * @return a new image of the same size and channels
     * @throws IllegalArgumentException for a negative or non-finite clip limit or a tile count below 1
     */
    public static Image8 apply(Image8 img, double clipLimit, int tilesX, int tilesY) {
        return apply(img, clipLimit, tilesX, tilesY, ColorMode.LAB_LIGHTNESS);
    }

    /**
     * CLAHE with an explicit colour mode (ignored for 1-channel images).
     *
     * @param img       a 1- or 3-channel image
     * @param clipLimit the contrast limit, as OpenCV's {@code clipLimit}
     * @param tilesX    tiles across
     * @param tilesY    tiles down
     * @param mode      which channels of a colour image are equalised
     * @return the equalised image, a new one
     * @see #apply(Image8, double, int, int)
     */
    public static Image8 apply(Image8 img, double clipLimit, int tilesX, int tilesY, ColorMode mode) {
        checkParameters(clipLimit, tilesX, tilesY);
        if (mode == null) {
            throw new IllegalArgumentException("mode must be LAB_LIGHTNESS or EACH_CHANNEL, got null");
        }
        Image8.requireChannels("CLAHE input", img.channels(), 1, 3);
        int w = img.width();
        int h = img.height();
        if (img.channels() == 1) {
            byte[] out = new byte[w * h];
            applyGray(img.data(), w, h, out, clipLimit, tilesX, tilesY);
            return new Image8(w, h, 1, out);
        }
        if (mode == ColorMode.LAB_LIGHTNESS) {
            Image8 lab = ColorConvert.rgbToLab(img);
            byte[] l = extractChannel(lab.data(), w * h, 0);
            byte[] eq = new byte[w * h];
            applyGray(l, w, h, eq, clipLimit, tilesX, tilesY);
            insertChannel(eq, lab.data(), 0);
            return ColorConvert.labToRgb(lab);
        }
        byte[] out = new byte[w * h * 3];
        byte[] plane = new byte[w * h];
        byte[] eq = new byte[w * h];
        for (int ch = 0; ch < 3; ch++) {
            extractChannel(img.data(), plane, ch);
            applyGray(plane, w, h, eq, clipLimit, tilesX, tilesY);
            insertChannel(eq, out, ch);
        }
        return new Image8(w, h, 3, out);
    }

    /**
     * Rejects parameters that {@link #apply} would reject, so that a configured step fails when it is built
     * rather than on its first image.
     *
     * @param clipLimit contrast limit, a finite number {@code >= 0} (0 = no clipping)
     * @param tilesX    tiles across, {@code >= 1}
     * @param tilesY    tiles down, {@code >= 1}
     * @throws IllegalArgumentException if a value is out of range; the message names it
     */
    public static void checkParameters(double clipLimit, int tilesX, int tilesY) {
        if (!(clipLimit >= 0) || Double.isInfinite(clipLimit)) {
            throw new IllegalArgumentException("clipLimit must be a finite number >= 0 (0 = no clipping), got "
                    + clipLimit);
        }
        if (tilesX < 1 || tilesY < 1) {
            throw new IllegalArgumentException("tile grid (tilesX, tilesY) must be >= 1 in both directions, got ("
                    + tilesX + ", " + tilesY + ")");
        }
    }

    /**
     * CLAHE of one 8-bit plane {@code src} ({@code h} rows of {@code w} bytes) into {@code dst}.
     * Parameters must already be valid.
     */
    static void applyGray(byte[] src, int w, int h, byte[] dst, double clipLimit, int tilesX, int tilesY) {
        Grid g = new Grid(w, h, clipLimit, tilesX, tilesY);
        int nTiles = tilesX * tilesY;
        byte[] luts = new byte[nTiles * 256];
        RowBands.run(nTiles, (long) g.tileW * g.tileH, (from, to) -> {
            int[] hist = new int[256];
            for (int k = from; k < to; k++) {
                tileLut(src, w, h, g, k % tilesX, k / tilesX, hist, luts, k * 256);
            }
        });
        float[] lutF = new float[luts.length];
        for (int i = 0; i < luts.length; i++) {
            lutF[i] = luts[i] & 0xFF;
        }
        Columns c = new Columns(w, g);
        RowBands.run(h, w, (from, to) -> interpolateRows(src, dst, w, g, c, lutF, from, to));
    }

    /** The tile geometry and clip limit, derived exactly as OpenCV derives them. */
    static final class Grid {
        final int tilesX;
        final int tilesY;
        final int tileW;
        final int tileH;
        /** Absolute clip limit per bin, 0 = no clipping. */
        final int clip;
        final float lutScale;
        // Source column / row of padded column w + i / row h + i (BORDER_REFLECT_101).
        final int[] padCols;
        final int[] padRows;

        Grid(int w, int h, double clipLimit, int tilesX, int tilesY) {
            this.tilesX = tilesX;
            this.tilesY = tilesY;
            int padRight = 0;
            int padBottom = 0;
            if (w % tilesX != 0 || h % tilesY != 0) {
                padRight = tilesX - w % tilesX;
                padBottom = tilesY - h % tilesY;
            }
            tileW = (w + padRight) / tilesX;
            tileH = (h + padBottom) / tilesY;
            padCols = new int[padRight];
            for (int i = 0; i < padRight; i++) {
                padCols[i] = Borders.reflect101(w + i, w);
            }
            padRows = new int[padBottom];
            for (int i = 0; i < padBottom; i++) {
                padRows[i] = Borders.reflect101(h + i, h);
            }
            int area = tileW * tileH;
            lutScale = 255f / area;
            int c = 0;
            if (clipLimit > 0.0) {
                c = Math.max((int) (clipLimit * area / 256), 1);
            }
            clip = c;
        }
    }

    // One tile's histogram → clip → redistribute → cumulative LUT, written to luts[off .. off+256).
    static void tileLut(byte[] src, int w, int h, Grid g, int tx, int ty, int[] hist, byte[] luts, int off) {
        java.util.Arrays.fill(hist, 0);
        int x0 = tx * g.tileW;
        int x1 = x0 + g.tileW;
        int xIn = Math.min(x1, w);
        int y0 = ty * g.tileH;
        int y1 = y0 + g.tileH;
        for (int y = y0; y < y1; y++) {
            int sy = y < h ? y : g.padRows[y - h];
            int row = sy * w;
            for (int x = x0; x < xIn; x++) {
                hist[src[row + x] & 0xFF]++;
            }
            for (int x = Math.max(x0, w); x < x1; x++) {
                hist[src[row + g.padCols[x - w]] & 0xFF]++;
            }
        }
        clipAndRedistribute(hist, g.clip);
        int sum = 0;
        float scale = g.lutScale;
        for (int i = 0; i < 256; i++) {
            sum += hist[i];
            luts[off + i] = (byte) Saturate.toUint8(sum * scale);
        }
    }

    /** Clips every bin at {@code clip} (0 = no clipping) and spreads the excess as OpenCV does. */
    static void clipAndRedistribute(int[] hist, int clip) {
        if (clip <= 0) {
            return;
        }
        int clipped = 0;
        for (int i = 0; i < 256; i++) {
            if (hist[i] > clip) {
                clipped += hist[i] - clip;
                hist[i] = clip;
            }
        }
        int batch = clipped / 256;
        int residual = clipped - batch * 256;
        for (int i = 0; i < 256; i++) {
            hist[i] += batch;
        }
        if (residual != 0) {
            int step = Math.max(256 / residual, 1);
            for (int i = 0; i < 256 && residual > 0; i += step, residual--) {
                hist[i]++;
            }
        }
    }

    /**
     * Per-column interpolation terms, computed once per image as OpenCV does: left and right tile
     * table offsets and the two float weights.
     */
    static final class Columns {
        final int[] left;
        final int[] right;
        final float[] wRight;
        final float[] wLeft;

        Columns(int w, Grid g) {
            left = new int[w];
            right = new int[w];
            wRight = new float[w];
            wLeft = new float[w];
            float invTw = 1.0f / g.tileW;
            for (int x = 0; x < w; x++) {
                float txf = x * invTw - 0.5f;
                int tx1 = (int) Math.floor(txf);
                int tx2 = tx1 + 1;
                wRight[x] = txf - tx1;
                wLeft[x] = 1.0f - wRight[x];
                left[x] = Math.max(tx1, 0) * 256;
                right[x] = Math.min(tx2, g.tilesX - 1) * 256;
            }
        }
    }

    // Rows [y0, y1) of the output: bilinear blend of the four neighbouring tiles' tables, in float, with
    // OpenCV's order of operations. lutF holds the tables as floats (exact: 0..255) so the hot loop has no
    // conversions, and rounding is the add-2^23 trick, which is round-half-to-even like cvRound.
    static void interpolateRows(byte[] src, byte[] dst, int w, Grid g, Columns c, float[] lutF, int y0, int y1) {
        float invTh = 1.0f / g.tileH;
        int[] left = c.left;
        int[] right = c.right;
        float[] xa = c.wRight;
        float[] xa1 = c.wLeft;
        for (int y = y0; y < y1; y++) {
            float tyf = y * invTh - 0.5f;
            int ty1 = (int) Math.floor(tyf);
            int ty2 = ty1 + 1;
            float ya = tyf - ty1;
            float ya1 = 1.0f - ya;
            ty1 = Math.max(ty1, 0);
            ty2 = Math.min(ty2, g.tilesY - 1);
            int plane1 = ty1 * g.tilesX * 256;
            int plane2 = ty2 * g.tilesX * 256;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int v = src[row + x] & 0xFF;
                int i1 = left[x] + v;
                int i2 = right[x] + v;
                float wl = xa1[x];
                float wr = xa[x];
                float res = (lutF[plane1 + i1] * wl + lutF[plane1 + i2] * wr) * ya1
                        + (lutF[plane2 + i1] * wl + lutF[plane2 + i2] * wr) * ya;
                int r = (int) (res + ROUNDING_BIAS) - (1 << 23);
                dst[row + x] = (byte) Math.min(r, 255);
            }
        }
    }

    // res >= 0 always (non-negative tables and weights); adding 2^23 leaves no fraction bits, so the float
    // addition itself rounds to the nearest integer, ties to even.
    private static final float ROUNDING_BIAS = 0x1.0p23f;

    private static byte[] extractChannel(byte[] interleaved, int n, int ch) {
        byte[] plane = new byte[n];
        extractChannel(interleaved, plane, ch);
        return plane;
    }

    private static void extractChannel(byte[] interleaved, byte[] plane, int ch) {
        for (int i = 0; i < plane.length; i++) {
            plane[i] = interleaved[i * 3 + ch];
        }
    }

    private static void insertChannel(byte[] plane, byte[] interleaved, int ch) {
        for (int i = 0; i < plane.length; i++) {
            interleaved[i * 3 + ch] = plane[i];
        }
    }
}
