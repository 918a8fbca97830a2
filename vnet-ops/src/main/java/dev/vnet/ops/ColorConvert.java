package dev.vnet.ops;

/**
 * Colour conversions of 8-bit images, bit-identical to OpenCV 4.6's {@code cv2.cvtColor}:
 * <ul>
 *   <li>{@link #rgbToGray}: {@code COLOR_RGB2GRAY}, {@code Y = (9798·R + 19235·G + 3735·B + 16384) >> 15}
 *       (the BT.601 weights 0.299, 0.587, 0.114 in the 15-bit fixed point OpenCV uses for 8-bit gray;
 *       checked against OpenCV on all 2<sup>24</sup> colours);</li>
 *   <li>{@link #grayToRgb}: {@code COLOR_GRAY2RGB}, the gray value in all three channels;</li>
 *   <li>{@link #rgbToLab} / {@link #labToRgb}: {@code COLOR_RGB2Lab} / {@code COLOR_Lab2RGB} for 8-bit
 *       images (sRGB gamma, D65 white), with OpenCV's integer tables: an sRGB gamma table in 1/8
 *       steps, 12-bit fixed-point RGB→XYZ coefficients divided by the white point, a cube-root table in
 *       15-bit fixed point, and for the way back OpenCV's 14-bit integer path with its
 *       {@code L → (y, f(y))} and {@code (a, b) → (x, z)} tables and a 4096-entry inverse gamma table.
 *       The 8-bit Lab encoding is OpenCV's: {@code L·255/100}, {@code a + 128}, {@code b + 128}.</li>
 * </ul>
 * Images here are RGB (channel 0 = red); OpenCV's {@code COLOR_BGR2*} codes are the same conversions
 * with the channel order reversed. Large images are converted on {@link RowBands} threads; each pixel
 * is converted on its own, so the result does not depend on the thread count.
 */
public final class ColorConvert {
    private ColorConvert() {}

    // OpenCV's gray_shift for 8-bit images and the R, G, B weights in that fixed point (they sum to 2^15).
    private static final int GRAY_SHIFT = 15;
    private static final int R2Y = 9798;
    private static final int G2Y = 19235;
    private static final int B2Y = 3735;

    /**
     * Gray from RGB, as {@code cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)}.
     *
     * @param rgb a 3-channel RGB image
     * @return a 1-channel image of the same size
     * @throws IllegalArgumentException unless {@code rgb} has 3 channels
     */
    public static Image8 rgbToGray(Image8 rgb) {
        Image8.requireChannels("rgbToGray input", rgb.channels(), 3);
        int n = rgb.width() * rgb.height();
        byte[] s = rgb.data();
        byte[] d = new byte[n];
        int w = rgb.width();
        VectorFilters vector = VectorFilters.active();
        RowBands.run(rgb.height(), 3L * w, (y0, y1) -> grayPixels(s, y0 * w, d, y0 * w, (y1 - y0) * w, vector));
        return new Image8(rgb.width(), rgb.height(), 1, d);
    }

    // d[from, to) = gray of the RGB pixels s[3 from, 3 to), one pixel at a time: the reference for GrayFromRgb
    static void rgbToGrayNaive(byte[] s, byte[] d, int from, int to) {
        rgbToGrayNaive(s, from, d, from, to - from);
    }

    // d[dPixel, dPixel + pixels) = gray of the RGB pixels from pixel sPixel of s, one pixel at a time
    static void rgbToGrayNaive(byte[] s, int sPixel, byte[] d, int dPixel, int pixels) {
        int half = 1 << (GRAY_SHIFT - 1);
        for (int i = dPixel, j = 3 * sPixel, end = dPixel + pixels; i < end; i++, j += 3) {
            d[i] = (byte) (((s[j] & 0xFF) * R2Y + (s[j + 1] & 0xFF) * G2Y + (s[j + 2] & 0xFF) * B2Y + half)
                    >> GRAY_SHIFT);
        }
    }

    // d[dPixel, dPixel + pixels) = gray of the RGB pixels from pixel sPixel of s, by the vector code when given
    // (null: the scalar code) and able to
    static void grayPixels(byte[] s, int sPixel, byte[] d, int dPixel, int pixels, VectorFilters vector) {
        if (vector == null || !vector.rgbToGray(s, sPixel, d, dPixel, pixels)) {
            GrayFromRgb.convert(s, sPixel, d, dPixel, pixels);
        }
    }

    /**
     * {@return the image as gray: a copy when it has 1 channel, {@link #rgbToGray} when it has 3}
     *
     * @param img a 1- or 3-channel image
     */
    public static Image8 toGray(Image8 img) {
        return img.channels() == 1 ? img.copy() : rgbToGray(img);
    }

    /**
     * RGB from gray, as {@code cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)}.
     *
     * @param gray a 1-channel image
     * @return a 3-channel image of the same size
     * @throws IllegalArgumentException unless {@code gray} has 1 channel
     */
    public static Image8 grayToRgb(Image8 gray) {
        Image8.requireChannels("grayToRgb input", gray.channels(), 1);
        byte[] s = gray.data();
        byte[] d = new byte[s.length * 3];
        for (int i = 0, j = 0; i < s.length; i++, j += 3) {
            d[j] = s[i];
            d[j + 1] = s[i];
            d[j + 2] = s[i];
        }
        return new Image8(gray.width(), gray.height(), 3, d);
    }

    /**
     * 8-bit Lab from RGB, as {@code cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)}: channel 0 is
     * {@code L·255/100}, channels 1 and 2 are {@code a + 128} and {@code b + 128}.
     *
     * @param rgb a 3-channel RGB image
     * @return a 3-channel L, a, b image of the same size
     * @throws IllegalArgumentException unless {@code rgb} has 3 channels
     */
    public static Image8 rgbToLab(Image8 rgb) {
        Image8.requireChannels("rgbToLab input", rgb.channels(), 3);
        LabTables t = LabTables.INSTANCE;
        byte[] s = rgb.data();
        byte[] d = new byte[s.length];
        int[] c = t.rgbToXyzOverWhite;
        int xyzHalf = 1 << (LabTables.LAB_SHIFT - 1);
        int labHalf = 1 << (LabTables.LAB_SHIFT2 - 1);
        int abBias = 128 << LabTables.LAB_SHIFT2;
        int rowBytes = 3 * rgb.width();
        RowBands.run(rgb.height(), rowBytes, (y0, y1) -> {
            for (int j = y0 * rowBytes, end = y1 * rowBytes; j < end; j += 3) {
                int r = t.srgbGamma[s[j] & 0xFF];
                int g = t.srgbGamma[s[j + 1] & 0xFF];
                int b = t.srgbGamma[s[j + 2] & 0xFF];
                int fx = t.cbrt[(r * c[0] + g * c[1] + b * c[2] + xyzHalf) >> LabTables.LAB_SHIFT];
                int fy = t.cbrt[(r * c[3] + g * c[4] + b * c[5] + xyzHalf) >> LabTables.LAB_SHIFT];
                int fz = t.cbrt[(r * c[6] + g * c[7] + b * c[8] + xyzHalf) >> LabTables.LAB_SHIFT];
                int l = (LabTables.L_SCALE * fy + LabTables.L_SHIFT + labHalf) >> LabTables.LAB_SHIFT2;
                int a = (500 * (fx - fy) + abBias + labHalf) >> LabTables.LAB_SHIFT2;
                int bb = (200 * (fy - fz) + abBias + labHalf) >> LabTables.LAB_SHIFT2;
                d[j] = (byte) saturate(l);
                d[j + 1] = (byte) saturate(a);
                d[j + 2] = (byte) saturate(bb);
            }
        });
        return new Image8(rgb.width(), rgb.height(), 3, d);
    }

    /**
     * RGB from 8-bit Lab (as {@link #rgbToLab} writes it), as {@code cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)}.
     *
     * @param lab a 3-channel 8-bit Lab image
     * @return a 3-channel RGB image of the same size
     * @throws IllegalArgumentException unless {@code lab} has 3 channels
     */
    public static Image8 labToRgb(Image8 lab) {
        Image8.requireChannels("labToRgb input", lab.channels(), 3);
        LabTables t = LabTables.INSTANCE;
        byte[] s = lab.data();
        byte[] d = new byte[s.length];
        int[] c = t.xyzToRgbTimesWhite;
        int shift = LabTables.LAB2RGB_SHIFT;
        int half = 1 << (shift - 1);
        int maxIndex = LabTables.INV_GAMMA_TAB_SIZE - 1;
        int rowBytes = 3 * lab.width();
        RowBands.run(lab.height(), rowBytes, (y0, y1) -> {
            for (int j = y0 * rowBytes, end = y1 * rowBytes; j < end; j += 3) {
                int ll = s[j] & 0xFF;
                int aa = s[j + 1] & 0xFF;
                int bb = s[j + 2] & 0xFF;
                int y = t.labToY[ll];
                int ify = t.labToFy[ll];
                // a/500 and b/200 in 14-bit fixed point, with OpenCV's multiply-shift approximations.
                int adiv = ((5 * aa * 53687 + (1 << 7)) >> 13) - 128 * LabTables.BASE / 500;
                int bdiv = ((bb * 41943 + (1 << 4)) >> 9) - 128 * LabTables.BASE / 200 + 1;
                int x = t.abToXz[ify + adiv - LabTables.MIN_AB_VALUE];
                int z = t.abToXz[ify - bdiv - LabTables.MIN_AB_VALUE];
                int r = (c[0] * x + c[1] * y + c[2] * z + half) >> shift;
                int g = (c[3] * x + c[4] * y + c[5] * z + half) >> shift;
                int b = (c[6] * x + c[7] * y + c[8] * z + half) >> shift;
                d[j] = (byte) t.srgbInvGamma[Math.max(0, Math.min(maxIndex, r))];
                d[j + 1] = (byte) t.srgbInvGamma[Math.max(0, Math.min(maxIndex, g))];
                d[j + 2] = (byte) t.srgbInvGamma[Math.max(0, Math.min(maxIndex, b))];
            }
        });
        return new Image8(lab.width(), lab.height(), 3, d);
    }

    // OpenCV's hsv_shift and its division tables for 8-bit RGB2HSV (hue range 180): entry i is
    // cvRound((255 << 12) / i) and cvRound((180 << 12) / (6 i)), entry 0 is 0.
    private static final int HSV_SHIFT = 12;
    private static final int[] HSV_SDIV = new int[256];
    private static final int[] HSV_HDIV180 = new int[256];

    static {
        for (int i = 1; i < 256; i++) {
            HSV_SDIV[i] = (int) Math.rint((255 << HSV_SHIFT) / (double) i);
            HSV_HDIV180[i] = (int) Math.rint((180 << HSV_SHIFT) / (6.0 * i));
        }
    }

    /**
     * 8-bit HSV from RGB, as {@code cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)}: hue in 0..179 (degrees / 2),
     * saturation and value in 0..255. OpenCV's integer path: {@code V = max}, {@code S = round(diff · 255 / V)}
     * and the hue from the channel that holds the maximum (red before green before blue on ties), each division
     * through a 12-bit fixed-point table.
     *
     * @param rgb a 3-channel RGB image
     * @return a 3-channel H, S, V image of the same size
     * @throws IllegalArgumentException unless {@code rgb} has 3 channels
     */
    public static Image8 rgbToHsv(Image8 rgb) {
        Image8.requireChannels("rgbToHsv input", rgb.channels(), 3);
        byte[] s = rgb.data();
        byte[] d = new byte[s.length];
        int half = 1 << (HSV_SHIFT - 1);
        int rowBytes = 3 * rgb.width();
        RowBands.run(rgb.height(), rowBytes, (y0, y1) -> {
            for (int j = y0 * rowBytes, end = y1 * rowBytes; j < end; j += 3) {
                int r = s[j] & 0xFF;
                int g = s[j + 1] & 0xFF;
                int b = s[j + 2] & 0xFF;
                int v = Math.max(r, Math.max(g, b));
                int diff = v - Math.min(r, Math.min(g, b));
                int sat = (diff * HSV_SDIV[v] + half) >> HSV_SHIFT;
                int h;
                if (v == r) {
                    h = g - b;
                } else if (v == g) {
                    h = b - r + 2 * diff;
                } else {
                    h = r - g + 4 * diff;
                }
                h = (h * HSV_HDIV180[diff] + half) >> HSV_SHIFT;
                if (h < 0) {
                    h += 180;
                }
                d[j] = (byte) h;
                d[j + 1] = (byte) sat;
                d[j + 2] = (byte) v;
            }
        });
        return new Image8(rgb.width(), rgb.height(), 3, d);
    }

    private static int saturate(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * OpenCV's 8-bit Lab tables, rebuilt with the same arithmetic: its {@code softfloat}/{@code softdouble}
     * are IEEE binary32/binary64 with round-to-nearest-even, which is what Java's {@code float} and
     * {@code double} are; its fused {@code mulAdd} is {@link Math#fma(float, float, float)}.
     */
    static final class LabTables {
        static final int LAB_SHIFT = 12;
        static final int GAMMA_SHIFT = 3;
        static final int LAB_SHIFT2 = LAB_SHIFT + GAMMA_SHIFT;
        static final int CBRT_TAB_SIZE = 256 * 3 / 2 * (1 << GAMMA_SHIFT);
        static final int L_SCALE = (116 * 255 + 50) / 100;
        static final int L_SHIFT = -((16 * 255 * (1 << LAB_SHIFT2) + 50) / 100);
        static final int INV_GAMMA_SHIFT = 12;
        static final int INV_GAMMA_TAB_SIZE = 1 << INV_GAMMA_SHIFT;
        static final int BASE_SHIFT = 14;
        static final int BASE = 1 << BASE_SHIFT;
        static final int LAB2RGB_SHIFT = LAB_SHIFT + (BASE_SHIFT - INV_GAMMA_SHIFT);
        static final int MIN_AB_VALUE = -8145;

        // sRGB → XYZ (rows X, Y, Z; columns R, G, B) and XYZ → sRGB, D65 white: OpenCV's exact doubles.
        private static final double[] SRGB_TO_XYZ = {
            Double.longBitsToDouble(0x3fda65a14488c60dL), Double.longBitsToDouble(0x3fd6e297396d0918L),
            Double.longBitsToDouble(0x3fc71819d2391d58L), Double.longBitsToDouble(0x3fcb38cda6e75ff6L),
            Double.longBitsToDouble(0x3fe6e297396d0918L), Double.longBitsToDouble(0x3fb279aae6c8f755L),
            Double.longBitsToDouble(0x3f93cc4ac6cdaf4bL), Double.longBitsToDouble(0x3fbe836eb4e98138L),
            Double.longBitsToDouble(0x3fee68427418d691L)};
        private static final double[] XYZ_TO_SRGB = {
            Double.longBitsToDouble(0x4009ec804102ff8fL), Double.longBitsToDouble(0xbff8982a9930be0eL),
            Double.longBitsToDouble(0xbfdfe7ff583a53b9L), Double.longBitsToDouble(0xbfef042528ae74f3L),
            Double.longBitsToDouble(0x3ffe040f23897204L), Double.longBitsToDouble(0x3fa546d3f9e7b80bL),
            Double.longBitsToDouble(0x3fac7de5082cf52cL), Double.longBitsToDouble(0xbfca1e14bdfd2631L),
            Double.longBitsToDouble(0x3ff0eabef06b3786L)};
        private static final double[] D65 = {
            Double.longBitsToDouble(0x3fee6a22b3892ee8L), 1.0, Double.longBitsToDouble(0x3ff16b8950763a19L)};

        private static final double GAMMA_THRESHOLD = 809.0 / 20000.0;
        private static final double GAMMA_INV_THRESHOLD = 7827.0 / 2500000.0;
        private static final double GAMMA_LOW_SCALE = 323.0 / 25.0;
        private static final double GAMMA_POWER = 12.0 / 5.0;
        private static final double GAMMA_X_SHIFT = 11.0 / 200.0;
        private static final float L_THRESH = 216f / 24389f;
        private static final float L_LINEAR_SCALE = 841f / 108f;
        private static final float L_BIAS = 16f / 116f;

        /** 8-bit sRGB value → linear light × 255 × 8. */
        final int[] srgbGamma = new int[256];
        /** Linear light × 255 × 8 → f(t) × 2^15 (Lab's cube root, linear near black). */
        final int[] cbrt = new int[CBRT_TAB_SIZE];
        /** RGB (gamma table units) → X/Xn, Y/Yn, Z/Zn in 12-bit fixed point; row-major 3×3. */
        final int[] rgbToXyzOverWhite = new int[9];
        /** X, Y, Z (14-bit) → R, G, B (rows) times the white point, 12-bit fixed point. */
        final int[] xyzToRgbTimesWhite = new int[9];
        final int[] labToY = new int[256];
        final int[] labToFy = new int[256];
        final int[] abToXz = new int[BASE * 9 / 4];
        /** Linear light in 1/4096 steps → 8-bit sRGB. */
        final int[] srgbInvGamma = new int[INV_GAMMA_TAB_SIZE];

        // Last static field: the constructor reads the constants above.
        static final LabTables INSTANCE = new LabTables();

        private LabTables() {
            float f255 = 255f;
            float intScale = 255 * (1 << GAMMA_SHIFT);
            for (int i = 0; i < 256; i++) {
                float x = i / f255;
                srgbGamma[i] = (int) Math.rint(intScale * applyGamma(x));
            }
            float invScale = 1f / INV_GAMMA_TAB_SIZE;
            for (int i = 0; i < INV_GAMMA_TAB_SIZE; i++) {
                float x = invScale * i;
                srgbInvGamma[i] = (int) Math.rint(f255 * applyInvGamma(x));
            }
            float cbTabScale = 1f / (f255 * (1 << GAMMA_SHIFT));
            float lshift2 = 1 << LAB_SHIFT2;
            for (int i = 0; i < CBRT_TAB_SIZE; i++) {
                float x = cbTabScale * i;
                float f = x < L_THRESH ? Math.fma(x, L_LINEAR_SCALE, L_BIAS) : cbrtf(x);
                cbrt[i] = (int) Math.rint(lshift2 * f);
            }
            double lshift = 1 << LAB_SHIFT;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    rgbToXyzOverWhite[i * 3 + j] = (int) Math.rint(lshift * SRGB_TO_XYZ[i * 3 + j] / D65[i]);
                    // Output row i (R, G, B), input column j (X, Y, Z) scaled by that column's white.
                    xyzToRgbTimesWhite[i * 3 + j] = (int) Math.rint(lshift * XYZ_TO_SRGB[i * 3 + j] * D65[j]);
                }
            }
            for (int i = 0; i < 256; i++) {
                int y;
                int ify;
                if (i <= 20) {
                    y = (int) Math.rint((float) (i * BASE * 20 * 9) / (float) (17 * 29 * 29 * 29));
                    ify = (int) Math.rint((float) BASE * (16f / 116f + (float) (i * 5) / (float) (3 * 17 * 29)));
                } else {
                    float fy = (float) (i * 100 * BASE) / (float) (255 * 116) + (float) (16 * BASE) / 116f;
                    ify = (int) Math.rint(fy);
                    y = (int) Math.rint(fy * fy * fy / (float) (BASE * BASE));
                }
                labToY[i] = y;
                labToFy[i] = ify;
            }
            for (int i = MIN_AB_VALUE; i < BASE * 9 / 4 + MIN_AB_VALUE; i++) {
                int v;
                if (i <= 3390) {
                    v = i * 108 / 841 - BASE * 16 / 116 * 108 / 841;
                } else {
                    v = i * i / BASE * i / BASE;
                }
                abToXz[i - MIN_AB_VALUE] = v;
            }
        }

        private static float applyGamma(float x) {
            double xd = x;
            return (float) (xd <= GAMMA_THRESHOLD ? xd / GAMMA_LOW_SCALE
                    : StrictMath.pow((xd + GAMMA_X_SHIFT) / (1.0 + GAMMA_X_SHIFT), GAMMA_POWER));
        }

        private static float applyInvGamma(float x) {
            double xd = x;
            return (float) (xd <= GAMMA_INV_THRESHOLD ? xd * GAMMA_LOW_SCALE
                    : StrictMath.pow(xd, 1.0 / GAMMA_POWER) * (1.0 + GAMMA_X_SHIFT) - GAMMA_X_SHIFT);
        }

        // OpenCV's softfloat cbrt (Ken Turkowski's quartic rational approximation on the mantissa, in double,
        // whose fraction bits are then truncated): not always the correctly rounded cube root, and the Lab
        // tables depend on exactly which float it returns.
        static float cbrtf(float x) {
            int bits = Float.floatToRawIntBits(x);
            if ((bits & 0x7FFFFFFF) == 0) {
                return 0f;
            }
            int sign = bits >>> 31;
            int ex = ((bits >>> 23) & 0xFF) - 127;
            int shx = ex % 3;
            shx -= shx >= 0 ? 3 : 0;
            ex = (ex - shx) / 3 - 1;
            double fr = Double.longBitsToDouble(((long) (shx + 1023) << 52) | ((long) (bits & 0x7FFFFF) << 29));
            fr = ((((45.2548339756803022511987494 * fr + 192.2798368355061050458134625) * fr
                    + 119.1654824285581628956914143) * fr + 13.43250139086239872172837314) * fr
                    + 0.1636161226585754240958355063)
                    / ((((14.80884093219134573786480845 * fr + 151.9714051044435648658557668) * fr
                    + 168.5254414101568283957668343) * fr + 33.9905941350215598754191872) * fr + 1.0);
            int mantissa = (int) ((Double.doubleToRawLongBits(fr) & 0xFFFFFFFFFFFFFL) >>> 29);
            return Float.intBitsToFloat((sign << 31) + ((ex + 127) << 23) + mantissa);
        }
    }
}
