package dev.vnet.ops;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The exponential function exactly as OpenCV's software floating point ({@code cv::softdouble exp}) computes
 * it, which {@code getGaussianKernel} uses; {@link Math#exp} differs from it in the last bit for many inputs,
 * and that bit can flip a rounded 8-bit kernel tap.
 *
 * <p>Method: {@code e^x = 2^(x log2 e)}; with {@code v = round(64 x log2 e)}, the result is
 * {@code 2^(v >> 6) * 2^((v & 63) / 64) * p(f)}, where {@code 2^(i/64)} comes from a 64-entry table,
 * {@code f = (64 x log2 e - v) / 64}, and {@code p} is a degree-5 polynomial for {@code 2^f} whose
 * coefficients are pre-divided by a constant that the first factor multiplies back. Every step is one IEEE
 * double operation, so Java's arithmetic reproduces it bit for bit.
 */
final class SoftExp {
    private static final int TAB_BITS = 6;
    private static final int TAB_MASK = (1 << TAB_BITS) - 1;
    private static final double POLY_SCALE = Double.longBitsToDouble(0x3f83ce0f3e46f431L);
    private static final double MAX_ARG = 3000 * (1 << TAB_BITS);
    private static final double PRESCALE = Double.longBitsToDouble(0x3ff71547652b82feL) * (1 << TAB_BITS); // 64 log2(e)
    private static final double POSTSCALE = 1.0 / (1 << TAB_BITS);
    private static final double A5 = 1.0 / POLY_SCALE;
    private static final double A4 = Double.longBitsToDouble(0x3fe62e42fefa39f1L) / POLY_SCALE; // ln 2
    private static final double A3 = Double.longBitsToDouble(0x3fcebfbdff82a45aL) / POLY_SCALE; // (ln 2)^2 / 2
    private static final double A2 = Double.longBitsToDouble(0x3fac6b08d81fec75L) / POLY_SCALE;
    private static final double A1 = Double.longBitsToDouble(0x3f83b2a72b4f3cd3L) / POLY_SCALE;
    private static final double A0 = Double.longBitsToDouble(0x3f55e7aa1566c2a4L) / POLY_SCALE;
    /** 2^(i/64), correctly rounded. */
    static final double[] POW2_TABLE = pow2Table();

    private SoftExp() {}

    private static double[] pow2Table() {
        MathContext mc = new MathContext(60);
        double[] t = new double[1 << TAB_BITS];
        for (int i = 0; i < t.length; i++) {
            BigDecimal v = BigDecimal.valueOf(2).pow(i); // 2^(i/64) = 64th root of 2^i: six square roots
            for (int s = 0; s < TAB_BITS; s++) {
                v = v.sqrt(mc);
            }
            t[i] = v.doubleValue();
        }
        return t;
    }

    static double exp(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? x : 0.0;
        }
        int biasedExponent = (int) ((Double.doubleToRawLongBits(x) >>> 52) & 0x7FF);
        double x0 = biasedExponent > 1023 + 10 ? (x < 0 ? -MAX_ARG : MAX_ARG) : x * PRESCALE;
        int v = (int) Math.rint(x0);
        int t = (v >> TAB_BITS) + 1023;
        t = t < 0 ? 0 : Math.min(t, 2047);
        double scale = Double.longBitsToDouble((long) t << 52);
        double f = (x0 - Math.rint(x0)) * POSTSCALE;
        double poly = ((((A0 * f + A1) * f + A2) * f + A3) * f + A4) * f + A5;
        return scale * POLY_SCALE * POW2_TABLE[v & TAB_MASK] * poly;
    }
}
