package dev.vnet.ops;


/**
 * Gaussian blur that gives the same bytes as OpenCV 4.6's {@code cv2.GaussianBlur} on 8-bit images with 1
 * or 3 channels (border {@code BORDER_REFLECT_101}, the default).
 *
 * <p>The rules are OpenCV's:
 * <ul>
 *   <li>A kernel size of 0 is derived from sigma: {@code round(sigma * 3 * 2 + 1) | 1} (the 8-bit rule).</li>
 *   <li>Sigma 0 is derived from the kernel size: {@code 0.15 * ksize + 0.35}, except for sizes 1, 3, 5, 7
 *       and 9, which use fixed binomial-like tables ({@code 1 2 1 / 4}, {@code 1 4 6 4 1 / 16}, ...).</li>
 *   <li>{@code sigmaY = 0} means {@code sigmaY = sigmaX}. On a 1-pixel-high (wide) image the vertical
 *       (horizontal) kernel is 1.</li>
 *   <li>The 8-bit path is fixed point: each 1-D kernel is rounded to 8 fraction bits with error diffusion so that
 *       it sums to exactly 256 ({@link #fixedPointKernel}); the horizontal pass keeps the exact integer sums
 *       (8 fraction bits), the vertical pass the exact products (16 fraction bits), and the result is
 *       {@code (sum + 2^15) >> 16}. There is no other rounding, so the order of the sums does not matter.</li>
 * </ul>
 * The filter is separable: the cost per pixel grows with {@code ksizeX + ksizeY}. With OpenCV's fixed tables for
 * sizes 3 and 5 (sigma 0, the usual call) every sum fits 16 bits and the filter runs on 16-bit lanes
 * ({@code GaussianBinomial}); other kernels use 32-bit sums ({@code GaussianSeparable}). Large images run on
 * {@link RowBands} threads with the same result as one thread. {@code GaussianNaive} computes the same filter
 * directly in 2-D, the reference the tests hold both to.
 */
public final class GaussianBlur {
    static final int FRACTION_BITS = 8;
    private static final int ONE = 1 << FRACTION_BITS;

    private GaussianBlur() {}

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksize, ksize), sigma)}}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd kernel size, or 0 to derive it from sigma
     * @param sigma standard deviation, or 0 to derive it from ksize
     */
    public static Image8 apply(Image8 src, int ksize, double sigma) {
        return apply(src, ksize, ksize, sigma, 0);
    }

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksize, ksize), 0)}: sigma from the kernel size}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd kernel size
     */
    public static Image8 apply(Image8 src, int ksize) {
        return apply(src, ksize, ksize, 0, 0);
    }

    /**
     * {@return {@code cv2.GaussianBlur(img, (ksizeX, ksizeY), sigmaX, sigmaY=sigmaY)}}
     *
     * @param src    a 1- or 3-channel image
     * @param ksizeX kernel width: odd and positive, or 0 to derive it from {@code sigmaX}
     * @param ksizeY kernel height: odd and positive, or 0 to derive it from {@code sigmaY}
     * @param sigmaX horizontal standard deviation in pixels, or 0 to derive it from {@code ksizeX}
     * @param sigmaY vertical standard deviation in pixels, or 0 to use {@code sigmaX}
     * @throws IllegalArgumentException for a negative or even kernel size, a negative or non-finite sigma,
     *                                  a kernel size and sigma that are both 0, or a channel count other than 1 or 3
     */
    public static Image8 apply(Image8 src, int ksizeX, int ksizeY, double sigmaX, double sigmaY) {
        Image8.requireChannels("GaussianBlur source", src.channels(), 1, 3);
        checkSigma("sigmaX", sigmaX);
        checkSigma("sigmaY", sigmaY);
        checkKsize("ksizeX", ksizeX);
        checkKsize("ksizeY", ksizeY);
        if (sigmaY <= 0) {
            sigmaY = sigmaX;
        }
        if (ksizeX == 0 && sigmaX <= 0) {
            throw new IllegalArgumentException("GaussianBlur: ksizeX is 0 and sigmaX is " + sigmaX
                    + "; give an odd ksizeX >= 1 or a sigmaX > 0 to derive it from");
        }
        if (ksizeY == 0 && sigmaY <= 0) {
            throw new IllegalArgumentException("GaussianBlur: ksizeY is 0 and sigmaY is " + sigmaY
                    + "; give an odd ksizeY >= 1 or a sigmaY > 0 to derive it from");
        }
        // OpenCV shrinks the kernel along a 1-pixel dimension before deriving sizes from sigma.
        if (src.height() == 1) {
            ksizeY = 1;
        }
        if (src.width() == 1) {
            ksizeX = 1;
        }
        if (ksizeX == 1 && ksizeY == 1) {
            return src.copy();
        }
        if (ksizeX == 0) {
            ksizeX = ksizeFromSigma(sigmaX);
        }
        if (ksizeY == 0) {
            ksizeY = ksizeFromSigma(sigmaY);
        }
        int[] kx = fixedPointKernel(ksizeX, sigmaX);
        int[] ky = fixedPointKernel(ksizeY, sigmaY);
        Image8 dst = new Image8(src.width(), src.height(), src.channels());
        VectorFilters vector = VectorFilters.active();
        if (GaussianBinomial.binomialBits(kx) >= 0 && GaussianBinomial.binomialBits(ky) >= 0) {
            if (vector == null || !vector.gaussianBinomial(src, dst, kx.length, ky.length)) {
                GaussianBinomial.apply(src, dst, kx.length, ky.length);
            }
        } else {
            if (vector == null || !vector.gaussian(src, dst, kx, ky)) {
                GaussianSeparable.apply(src, dst, kx, ky);
            }
        }
        return dst;
    }

    /**
     * OpenCV's kernel size for an 8-bit image when only sigma is given: {@code round(6 * sigma + 1) | 1}.
     *
     * @param sigma the standard deviation, {@code > 0}
     * @return the odd kernel size
     */
    public static int ksizeFromSigma(double sigma) {
        return ((int) Math.rint(sigma * 3 * 2 + 1)) | 1;
    }

    /**
     * {@return the 1-D Gaussian kernel in double precision, as {@code cv2.getGaussianKernel(ksize, sigma,
     * cv2.CV_64F)} returns it (computed the same way, so the same doubles: {@code exp} is OpenCV's software
     * implementation, see {@link SoftExp})}
     *
     * @param ksize number of taps, {@code >= 1}
     * @param sigma standard deviation, or {@code <= 0} to derive it from {@code ksize}
     */
    public static double[] kernel(int ksize, double sigma) {
        if (ksize < 1) {
            throw new IllegalArgumentException("Gaussian kernel: ksize must be >= 1, got " + ksize);
        }
        int n = ksize;
        if (sigma <= 0) {
            switch (n) {
                case 1:
                    return new double[] {1.0};
                case 3:
                    return new double[] {0.25, 0.5, 0.25};
                case 5:
                    return new double[] {0.0625, 0.25, 0.375, 0.25, 0.0625};
                case 7:
                    return new double[] {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
                case 9:
                    return new double[] {4 / 256.0, 13 / 256.0, 30 / 256.0, 51 / 256.0, 60 / 256.0,
                            51 / 256.0, 30 / 256.0, 13 / 256.0, 4 / 256.0};
                default:
                    break;
            }
        }
        double s = sigma > 0 ? sigma : Math.fma(n, 0.15, 0.35);
        double scale2X = -0.125 / (s * s);
        int half = (n - 1) / 2;
        double[] values = new double[half];
        double sum = 0;
        for (int i = 0, x = 1 - n; i < half; i++, x += 2) {
            double t = SoftExp.exp((double) (x * x) * scale2X);
            values[i] = t;
            sum += t;
        }
        sum *= 2;
        sum += 1;
        if ((n & 1) == 0) {
            sum += 1;
        }
        double mul = 1.0 / sum;
        double[] result = new double[n];
        for (int i = 0; i < half; i++) {
            double t = values[i] * mul;
            result[i] = t;
            result[n - 1 - i] = t;
        }
        result[half] = mul;
        if ((n & 1) == 0) {
            result[half + 1] = mul;
        }
        return result;
    }

    /**
     * {@return the kernel OpenCV's 8-bit path uses: {@link #kernel} scaled by 256 and rounded with error diffusion
     * from the outside in, the centre tap taking what is left so that the taps sum to exactly 256}
     *
     * @param ksize odd number of taps, >= 1
     * @param sigma standard deviation, or 0 or less to derive it from {@code ksize}
     */
    public static int[] fixedPointKernel(int ksize, double sigma) {
        if (ksize < 1 || (ksize & 1) == 0) {
            throw new IllegalArgumentException("Gaussian kernel: ksize must be odd and >= 1, got " + ksize);
        }
        double[] k = kernel(ksize, Math.max(sigma, 0));
        int n = ksize;
        int half = n / 2;
        int[] out = new int[n];
        double err = 0;
        long sum = 0;
        for (int i = 0; i < half; i++) {
            double adj = k[i] * ONE + err;
            long v = (long) Math.rint(adj);
            err = adj - v;
            out[i] = (int) v;
            out[n - 1 - i] = (int) v;
            sum += v;
        }
        out[half] = (int) ((ONE - 2 * sum) & 0xFFFF); // OpenCV stores the taps as uint16
        return out;
    }

    private static void checkKsize(String name, int k) {
        if (k < 0 || (k > 0 && (k & 1) == 0)) {
            throw new IllegalArgumentException("GaussianBlur: " + name + " is " + k
                    + ", expected an odd number >= 1, or 0 to derive it from sigma");
        }
    }

    private static void checkSigma(String name, double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("GaussianBlur: " + name + " is " + sigma
                    + ", expected a finite number >= 0 (0 = derive it from the kernel size)");
        }
    }
}
