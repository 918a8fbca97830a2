package dev.vnet.io;

/**
 * Bounds on every resource a command-line option or a file can ask for, checked in 64-bit arithmetic before
 * anything is allocated or started: a value that would overflow an {@code int}, start thousands of threads or
 * need more memory than the Java heap has is refused with one line instead of failing later with an internal
 * message.
 *
 * <p>Every check throws an {@link IllegalArgumentException} whose message has the form
 * {@code "NAME must be EXPECTATION, got VALUE"}, where {@code NAME} is what the user wrote or what the file holds
 * ({@code --threads}, {@code preprocess.width}).
 */
public final class Limits {
    /** At most this many threads per processor: more only add switching, and thousands exhaust the process ids. */
    public static final int THREADS_PER_PROCESSOR = 4;

    /** The longest Java array: a few elements below {@code Integer.MAX_VALUE}, as the JDK's own collections use. */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private Limits() {}

    /**
     * A thread count: at least 1, at most {@link #THREADS_PER_PROCESSOR} times the processors of this machine.
     *
     * @param name  the option or field, e.g. {@code --threads}
     * @param value the value asked for
     * @return the value
     * @throws IllegalArgumentException if it is out of range, naming the processor count
     */
    public static int threads(String name, long value) {
        return threads(name, value, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A thread count for a machine with {@code processors} processors.
     *
     * @param name       the option or field
     * @param value      the value asked for
     * @param processors the processors available
     * @return the value
     * @throws IllegalArgumentException if it is out of range
     */
    public static int threads(String name, long value, int processors) {
        long max = (long) THREADS_PER_PROCESSOR * Math.max(1, processors);
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " (" + THREADS_PER_PROCESSOR
                    + " per processor; this machine has " + processors + "), got " + value);
        }
        return (int) value;
    }

    /**
     * A whole number in {@code [min, max]}.
     *
     * @param name  the option or field
     * @param value the value asked for
     * @param min   the smallest allowed
     * @param max   the largest allowed (at most {@code Integer.MAX_VALUE})
     * @return the value
     * @throws IllegalArgumentException if it is out of range
     */
    public static int range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
        }
        return (int) value;
    }

    /**
     * A kernel size: odd and in {@code [1, max]}, or 0 where {@code zeroMeansOff}.
     *
     * @param name         the option or field
     * @param value        the value asked for
     * @param max          the largest allowed
     * @param zeroMeansOff whether 0 (the step skipped) is allowed
     * @return the value
     * @throws IllegalArgumentException if it is even, negative or too large
     */
    public static int oddKernel(String name, long value, long max, boolean zeroMeansOff) {
        if (zeroMeansOff && value == 0) {
            return 0;
        }
        if (value < 1 || value > max || value % 2 == 0) {
            throw new IllegalArgumentException(name + " must be " + (zeroMeansOff ? "0 (off) or " : "") + "odd, 1 to "
                    + max + ", got " + value);
        }
        return (int) value;
    }

    /**
     * A square crop's side: at least 1 and at most the shorter side of the image it is cut from.
     *
     * @param name        the option or field
     * @param value       the side asked for, in pixels
     * @param imageWidth  the image's width in pixels
     * @param imageHeight the image's height in pixels
     * @return the value
     * @throws IllegalArgumentException if it is out of range, naming the image size
     */
    public static int crop(String name, long value, int imageWidth, int imageHeight) {
        int max = Math.min(imageWidth, imageHeight);
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " pixels (the shorter side of a "
                    + imageWidth + "×" + imageHeight + " image), got " + value);
        }
        return (int) value;
    }

    /**
     * A disc radius in pixels: at least 1 and at most the diagonal of the image it is drawn on (a larger disc
     * covers the image all the same, and its square would overflow).
     *
     * @param name        the option or field
     * @param value       the radius asked for, in pixels
     * @param imageWidth  the image's width in pixels
     * @param imageHeight the image's height in pixels
     * @return the value
     * @throws IllegalArgumentException if it is out of range, naming the image size
     */
    public static int radius(String name, long value, int imageWidth, int imageHeight) {
        long max = (long) Math.ceil(Math.hypot(imageWidth, imageHeight));
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " pixels (the diagonal of a "
                    + imageWidth + "×" + imageHeight + " image), got " + value);
        }
        return (int) value;
    }

    /**
     * The product of {@code factors}, exact.
     *
     * @param what    what the product is, e.g. {@code "--width × --height"}
     * @param factors non-negative factors
     * @return the product
     * @throws IllegalArgumentException if it exceeds {@code Long.MAX_VALUE}, naming the factors
     */
    public static long product(String what, long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be a number below 2^63, got "
                    + java.util.Arrays.stream(factors).mapToObj(Long::toString)
                    .collect(java.util.stream.Collectors.joining(" × ")));
        }
        return p;
    }

    /**
     * The length of one Java array holding the product of {@code factors} elements (pixels × channels, values
     * of a tensor).
     *
     * @param what    what the array holds, e.g. {@code "a 100000×100000 RGB image's bytes"}
     * @param factors non-negative factors
     * @return the product, as an array length
     * @throws IllegalArgumentException if it exceeds {@link #MAX_ARRAY_LENGTH}
     */
    public static int arrayLength(String what, long... factors) {
        long n = product(what, factors);
        if (n > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_ARRAY_LENGTH
                    + " (one Java array), got " + n);
        }
        return (int) n;
    }

    /**
     * Refuses work that needs more memory than the Java heap's limit.
     *
     * @param what  what needs it, e.g. {@code "a batch of 64 images of 4096×4096"}
     * @param bytes the bytes it needs at least
     * @throws IllegalArgumentException naming the need and the heap's limit
     */
    public static void fitsHeap(String what, long bytes) {
        fitsHeap(what, bytes, Runtime.getRuntime().maxMemory());
    }

    /**
     * Refuses work that needs more memory than {@code heapBytes}.
     *
     * @param what      what needs it
     * @param bytes     the bytes it needs at least
     * @param heapBytes the memory available
     * @throws IllegalArgumentException naming the need and the limit
     */
    public static void fitsHeap(String what, long bytes, long heapBytes) {
        if (bytes > heapBytes) {
            throw new IllegalArgumentException(what + " must fit in the Java heap's " + mib(heapBytes)
                    + " (raise it with -Xmx, or ask for less), got at least " + mib(bytes));
        }
    }

    /**
     * {@return bytes in whole MiB, rounded up, with the unit: {@code "3 MiB"}}
     *
     * @param bytes a byte count
     */
    public static String mib(long bytes) {
        return ((bytes + (1 << 20) - 1) >> 20) + " MiB";
    }
}
