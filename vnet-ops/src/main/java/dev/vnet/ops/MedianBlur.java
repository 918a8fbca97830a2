package dev.vnet.ops;

/**
 * Median filter that gives the same bytes as OpenCV 4.6's {@code cv2.medianBlur} on 8-bit images with 1 or 3
 * channels: every output sample is the exact median of the {@code ksize x ksize} window of its channel, with
 * the border handled by {@code BORDER_REPLICATE} (pixels outside the image take the value of the nearest edge
 * pixel). Because the median is exact, any correct method gives the same output; three are kept here:
 * <ul>
 *   <li>{@link #naive}: gather the window, sort it, take the middle. The reference.</li>
 *   <li>ksize 3 and 5: a selection network run on whole rows at once (data-parallel min/max over arrays of
 *       samples packed 7 to a {@code long}): every column of the window is sorted once and shared by the
 *       {@code ksize} windows that contain it, for 5 every two neighbouring columns are merged once and shared
 *       too, and a network pruned to the comparators that decide the median finishes each window
 *       ({@code MedianWindowPlan}, run on rows packed into longs by {@code MedianPackedRows}, or on byte vectors
 *       of the JDK's Vector API when the JVM runs with {@code --add-modules jdk.incubator.vector}, unless the
 *       system property {@code vnet.ops.vector} is {@code false}: see {@code VectorFilters}).</li>
 *   <li>ksize 7 and more: Huang's sliding histogram (256 bins per channel, {@code 2 * ksize} updates per
 *       pixel and a median pointer that moves by small steps), so the cost grows with {@code ksize}, not
 *       {@code ksize^2} ({@code MedianHistogram}).</li>
 * </ul>
 * Large images run on {@link RowBands} threads with the same result as one thread.
 */
public final class MedianBlur {
    private MedianBlur() {}

    /**
     * {@return {@code cv2.medianBlur(img, ksize)}}
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd window size >= 1 (1 returns a copy)
     * @throws IllegalArgumentException if {@code ksize} is not odd and positive, or the image does not have
     *                                  1 or 3 channels
     */
    public static Image8 apply(Image8 src, int ksize) {
        check(src, ksize);
        if (ksize == 1) {
            return src.copy();
        }
        if (ksize == 3 || ksize == 5) {
            VectorFilters vector = VectorFilters.active();
            Image8 out = vector == null ? null : ksize == 3 ? vector.median3(src) : vector.median5(src);
            return out != null ? out : networkMethod(src, ksize);
        }
        return MedianHistogram.apply(src, ksize);
    }

    /**
     * Sorts every window: O(ksize^2 log ksize) per pixel. The reference the fast paths are tested against
     * ({@code MedianSortNaive}).
     *
     * @param src   a 1- or 3-channel image
     * @param ksize odd window size
     * @return the filtered image, a new one
     */
    public static Image8 naive(Image8 src, int ksize) {
        check(src, ksize);
        return MedianSortNaive.apply(src, ksize);
    }

    private static void check(Image8 src, int ksize) {
        Image8.requireChannels("medianBlur source", src.channels(), 1, 3);
        if (ksize < 1 || (ksize & 1) == 0) {
            throw new IllegalArgumentException("medianBlur: ksize is " + ksize + ", expected an odd number >= 1");
        }
    }

    /** Exposed for tests: the histogram method for any odd ksize >= 3, whatever {@link #apply} would choose. */
    static Image8 histogramMethod(Image8 src, int ksize) {
        check(src, ksize);
        return ksize == 1 ? src.copy() : MedianHistogram.apply(src, ksize);
    }

    /** The selection-network method on packed longs (ksize 3 or 5): the scalar code, whatever the JVM offers. */
    static Image8 networkMethod(Image8 src, int ksize) {
        check(src, ksize);
        if (ksize != 3 && ksize != 5) {
            throw new IllegalArgumentException("network method: ksize is " + ksize + ", expected 3 or 5");
        }
        return MedianPackedRows.apply(src, ksize == 3 ? MedianPackedRows.PLAN3 : MedianPackedRows.PLAN5);
    }
}
