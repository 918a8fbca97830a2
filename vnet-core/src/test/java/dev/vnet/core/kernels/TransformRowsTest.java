package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * Holds the Vector API row arithmetic of the Winograd transforms to the scalar loops, bit for bit, and both to a
 * plain double-free reading of the formula, on rows shorter than, exactly as long as and a little longer than one
 * or several vectors, at offsets that are no multiple of a vector.
 */
class TransformRowsTest {

    private static final int[] LENGTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257};
    private final TransformRows scalar = new TransformRows.Scalar();

    @Test
    void theTestsRunTheImplementationThePropertyAsksFor() {
        boolean vectorOff = "false".equalsIgnoreCase(System.getProperty(TransformRows.PROPERTY, ""));
        boolean moduleLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        // the build's test runs add the module; the scalar-path run turns it off
        assertThat(moduleLoaded).isTrue();
        assertThat(TransformRows.active() instanceof TransformRows.Scalar).isEqualTo(vectorOff);
        assertThat(TransformRows.vector()).isNotNull().isNotInstanceOf(TransformRows.Scalar.class);
    }

    @Test
    void combineMatchesTheScalarLoopsAndTheFormula() {
        TransformRows vector = TransformRows.vector();
        Rng rng = new Rng(3);
        for (int len : LENGTHS) {
            for (int terms = 1; terms <= 9; terms++) {
                int stride = len + 5, base = 3;
                float[] src = random(rng, base + stride * 10 + len);
                int[] index = new int[terms];
                float[] coef = new float[terms];
                for (int e = 0; e < terms; e++) {
                    index[e] = (e * 7 + terms) % 10;
                    coef[e] = rng.nextFloat() * 4f - 2f;
                }
                float[] expected = new float[len];
                for (int t = 0; t < len; t++) {
                    float total = 0f;
                    for (int e = 0; e < terms; e += 4) {
                        float group = 0f;
                        for (int u = e; u < Math.min(terms, e + 4); u++) {
                            float product = coef[u] * src[base + index[u] * stride + t];
                            group = u == e ? product : group + product;
                        }
                        total = e == 0 ? group : total + group;
                    }
                    expected[t] = total;
                }
                for (TransformRows rows : new TransformRows[] {scalar, vector}) {
                    float[] dst = random(rng, len + 6);
                    float[] before = dst.clone();
                    rows.combine(src, base, stride, index, coef, dst, 2, len);
                    String what = rows.getClass().getSimpleName() + " len " + len + " terms " + terms;
                    for (int t = 0; t < len; t++) {
                        assertThat(dst[2 + t]).as(what + " at " + t).isEqualTo(expected[t]);
                    }
                    assertThat(dst[0]).as(what + " before the row").isEqualTo(before[0]);
                    assertThat(dst[1]).isEqualTo(before[1]);
                    for (int t = len + 2; t < dst.length; t++) {
                        assertThat(dst[t]).as(what + " after the row").isEqualTo(before[t]);
                    }
                }
            }
        }
    }

    @Test
    void sumAndDifferenceMatchesTheScalarLoopsInPlaceAndApart() {
        TransformRows vector = TransformRows.vector();
        Rng rng = new Rng(5);
        for (int len : LENGTHS) {
            float[] a = random(rng, len + 4), b = random(rng, len + 9);
            for (TransformRows rows : new TransformRows[] {scalar, vector}) {
                // apart: into a third array
                float[] dst = new float[2 * len + 3];
                rows.sumAndDifference(a, 4, b, 9, dst, 1, len + 3, len);
                // in place: the sum over the first row, as the row transforms use it
                float[] shared = new float[3 + 2 * len];
                System.arraycopy(a, 4, shared, 3, len);
                rows.sumAndDifference(shared, 3, b, 9, shared, 3, 3 + len, len);
                for (int t = 0; t < len; t++) {
                    float x = a[4 + t], y = b[9 + t];
                    assertThat(dst[1 + t]).isEqualTo(x + y);
                    assertThat(dst[len + 3 + t]).isEqualTo(x - y);
                    assertThat(shared[3 + t]).isEqualTo(x + y);
                    assertThat(shared[3 + len + t]).isEqualTo(x - y);
                }
                assertThat(dst[0]).isZero();
                assertThat(dst[len + 1]).isZero();
            }
        }
    }

    private static float[] random(Rng rng, int n) {
        return GemmConvKernelsTest.random(rng, n);
    }
}
