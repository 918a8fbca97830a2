package dev.vnet.ops;

/**
 * The filters that have a second implementation on the JDK's incubating Vector API ({@code jdk.incubator.vector},
 * Java 17): the same bytes as the scalar code, in fewer instructions. The implementation is loaded only when the
 * module is in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}, as {@code ./vnet}
 * and the tests of this module do), so that no class referring to the incubator API is loaded without it, and
 * only when the system property {@value #PROPERTY} is not {@code false}; otherwise every operation runs its scalar
 * code. Each method returns {@code null} (or {@code false}, writing nothing) for an input it does not handle (rows
 * shorter than one vector), and the caller then runs the scalar code.
 */
interface VectorFilters {
    /** The system property that turns the vector code off when it is {@code false}. */
    String PROPERTY = "vnet.ops.vector";

    /**
     * {@return the 3x3 median (BORDER_REPLICATE), or null}
     *
     * @param src a 1- or 3-channel image
     */
    Image8 median3(Image8 src);

    /**
     * {@return the 5x5 median (BORDER_REPLICATE), or null}
     *
     * @param src a 1- or 3-channel image
     */
    Image8 median5(Image8 src);

    /**
     * Writes {@code cv2.GaussianBlur} of {@code src} by fixed-point kernels (taps summing to 256) into {@code dst}.
     *
     * @param src a 1- or 3-channel image
     * @param dst an image of the same size and channels
     * @param kx  the symmetric kernel along rows, odd length
     * @param ky  the symmetric kernel along columns, odd length
     * @return false when the image is not handled (nothing written)
     */
    boolean gaussian(Image8 src, Image8 dst, int[] kx, int[] ky);

    /**
     * The last step of the exact 2x downscale of an RGB row ({@code ResizeHalfRgb}): writes
     * {@code d[o, o + 3 pixels)} from bytes {@code 6x .. 6x + 2} of the means (the bytes of the ints, lowest first).
     *
     * @param means  the 2x2 means starting at every byte of the source row, 4 to an int
     * @param d      destination bytes
     * @param o      where destination pixel 0 goes in {@code d}
     * @param pixels destination pixels
     * @return false when the row is not handled (nothing written)
     */
    boolean keepPixelStarts(int[] means, byte[] d, int o, int pixels);

    /**
     * Writes {@code d[dPixel, dPixel + pixels)}, the gray values of as many RGB pixels of {@code s} from pixel
     * {@code sPixel} on ({@link ColorConvert#rgbToGray}).
     *
     * @param s      RGB bytes
     * @param sPixel first source pixel (at byte {@code 3 sPixel})
     * @param d      gray bytes
     * @param dPixel where the first gray value goes
     * @param pixels pixels to convert
     * @return false when the range is not handled (nothing written)
     */
    boolean rgbToGray(byte[] s, int sPixel, byte[] d, int dPixel, int pixels);

    /**
     * Writes {@code dst}, a bilinear downscale of {@code src} to at most half its height, from the tables of
     * {@code ResizeLinear} (source byte offsets and 11-bit weights along rows, source rows and weights down columns).
     *
     * @param src   a 1- or 3-channel image
     * @param dst   the destination, same channels
     * @param xofs  per destination column: the byte offset of its first source pixel in a source row
     * @param alpha per destination column: the weights of its two source pixels
     * @param yofs  per destination row: its first source row
     * @param beta  per destination row: the weights of its two source rows
     * @return false when the image is not handled (nothing written)
     */
    boolean resizeLinearDown(Image8 src, Image8 dst, int[] xofs, int[] alpha, int[] yofs, int[] beta);

    /**
     * Writes {@code cv2.GaussianBlur} of {@code src} with OpenCV's fixed binomial tables (sigma 0) into {@code dst}.
     *
     * @param src    a 1- or 3-channel image
     * @param dst    an image of the same size and channels
     * @param ksizeX the kernel length along rows: 1, 3 or 5
     * @param ksizeY the kernel length along columns: 1, 3 or 5
     * @return false when the image is not handled (nothing written)
     */
    boolean gaussianBinomial(Image8 src, Image8 dst, int ksizeX, int ksizeY);

    /** {@return the vector filters the operations use: null when the module is absent or the property is false} */
    static VectorFilters active() {
        return Choice.ACTIVE;
    }

    /** {@return the vector filters whatever the property says, null when the module is absent (for tests)} */
    static VectorFilters available() {
        return Choice.PRESENT ? Choice.load() : null;
    }

    /** The choice, made once when an operation first asks. */
    final class Choice {
        static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        static final VectorFilters ACTIVE =
                PRESENT && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim()) ? load() : null;

        private Choice() {}

        static VectorFilters load() {
            try {
                return (VectorFilters) Class.forName("dev.vnet.ops.VectorFiltersOnIncubator")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("module jdk.incubator.vector is present but the vector filters"
                        + " do not load; run with -D" + PROPERTY + "=false to use the scalar code", e);
            }
        }
    }
}
