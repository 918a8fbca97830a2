package dev.vnet.core.kernels;

/**
 * The row arithmetic of the Winograd transforms ({@link WinogradPlan}): sums of a few multiples of rows and the
 * sum and difference of two rows, over {@code len} consecutive floats of arrays read and written at offsets.
 *
 * <p>The JIT (C2, Java 17 to 25) does not vectorise these loops: an array that is written and an array that is
 * read at another offset may be the same array, so it must assume a dependence from one iteration to the next, and
 * it runs them one float at a time (1.5–2.5 ns per float of a four-term sum on an AMD EPYC, against 0.3–0.5 ns for
 * the same loop over separate arrays without offsets). So there are two implementations with the same results, bit
 * for bit: {@link Scalar}, the plain loops, and {@code TransformRowsOnIncubator} on the JDK's incubating Vector API
 * ({@code jdk.incubator.vector}), which states the vector steps itself. The vector one is loaded by name, only when
 * the module is in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}, as
 * {@code ./vnet} and this project's tests do) and the system property {@value #PROPERTY} is not {@code false}; so a
 * JVM without the module never loads a class that refers to it. Both multiply and add separately (no fused
 * multiply-add), in the same order, so they agree to the bit.
 */
interface TransformRows {
    /** The system property that turns the Vector API code off when it is {@code false}. */
    String PROPERTY = "vnet.core.vector";

    /**
     * {@code dst[d + t] = Σ_e coef[e] · src[base + index[e]·stride + t]} for {@code t < len}, the terms added in
     * groups of four: each group's products summed left to right, then added to the sum of the groups before.
     *
     * @param src    the rows read
     * @param base   where row 0 starts in {@code src}
     * @param stride floats from one row to the next
     * @param index  the rows of the terms, at least one
     * @param coef   their coefficients, as many
     * @param dst    the row written (not one of the rows read)
     * @param d      where it starts
     * @param len    floats per row
     */
    void combine(float[] src, int base, int stride, int[] index, float[] coef, float[] dst, int d, int len);

    /**
     * {@code sum[s + t] = a[ia + t] + b[ib + t]} and {@code sum[f + t] = a[ia + t] − b[ib + t]} for {@code t < len}
     * (the written rows may be the rows read, each at its own offset, but not overlap other rows).
     *
     * @param a   the first rows' array
     * @param ia  where the first row starts
     * @param b   the second rows' array
     * @param ib  where the second row starts
     * @param dst the array written
     * @param s   where the sum goes
     * @param f   where the difference goes
     * @param len floats per row
     */
    void sumAndDifference(float[] a, int ia, float[] b, int ib, float[] dst, int s, int f, int len);

    /** {@return the implementation the transforms use} */
    static TransformRows active() {
        return Choice.ACTIVE;
    }

    /** {@return the Vector API implementation whatever the property says, null without the module (for tests)} */
    static TransformRows vector() {
        return Choice.PRESENT ? Choice.load() : null;
    }

    /** The choice, made once when a transform first runs. */
    final class Choice {
        static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        static final TransformRows ACTIVE =
                PRESENT && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim()) ? load() : new Scalar();

        private Choice() {}

        static TransformRows load() {
            try {
                return (TransformRows) Class.forName("dev.vnet.core.kernels.TransformRowsOnIncubator")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("module jdk.incubator.vector is present but the vector transforms"
                        + " do not load; run with -D" + PROPERTY + "=false to use the scalar code", e);
            }
        }
    }

    /** The plain loops. */
    final class Scalar implements TransformRows {
        @Override
        public void combine(float[] src, int base, int stride, int[] index, float[] coef, float[] dst, int d,
                            int len) {
            int terms = index.length;
            for (int e = 0; e < terms; e += 4) {
                boolean first = e == 0;
                float c0 = coef[e];
                int s0 = base + index[e] * stride;
                switch (Math.min(4, terms - e)) {
                    case 1 -> {
                        if (first) {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] = c0 * src[s0 + t];
                            }
                        } else {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] += c0 * src[s0 + t];
                            }
                        }
                    }
                    case 2 -> {
                        float c1 = coef[e + 1];
                        int s1 = base + index[e + 1] * stride;
                        if (first) {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] = c0 * src[s0 + t] + c1 * src[s1 + t];
                            }
                        } else {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] += c0 * src[s0 + t] + c1 * src[s1 + t];
                            }
                        }
                    }
                    case 3 -> {
                        float c1 = coef[e + 1], c2 = coef[e + 2];
                        int s1 = base + index[e + 1] * stride, s2 = base + index[e + 2] * stride;
                        if (first) {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] = c0 * src[s0 + t] + c1 * src[s1 + t] + c2 * src[s2 + t];
                            }
                        } else {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] += c0 * src[s0 + t] + c1 * src[s1 + t] + c2 * src[s2 + t];
                            }
                        }
                    }
                    default -> {
                        float c1 = coef[e + 1], c2 = coef[e + 2], c3 = coef[e + 3];
                        int s1 = base + index[e + 1] * stride, s2 = base + index[e + 2] * stride;
                        int s3 = base + index[e + 3] * stride;
                        if (first) {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] = c0 * src[s0 + t] + c1 * src[s1 + t] + c2 * src[s2 + t]
                                        + c3 * src[s3 + t];
                            }
                        } else {
                            for (int t = 0; t < len; t++) {
                                dst[d + t] += c0 * src[s0 + t] + c1 * src[s1 + t] + c2 * src[s2 + t]
                                        + c3 * src[s3 + t];
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void sumAndDifference(float[] a, int ia, float[] b, int ib, float[] dst, int s, int f, int len) {
            for (int t = 0; t < len; t++) {
                float x = a[ia + t], y = b[ib + t];
                dst[s + t] = x + y;
                dst[f + t] = x - y;
            }
        }
    }
}
