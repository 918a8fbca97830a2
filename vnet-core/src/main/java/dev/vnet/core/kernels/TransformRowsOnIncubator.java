package dev.vnet.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TransformRows} on the JDK's Vector API: whole vectors of the preferred shape (8 floats with AVX2, 16 with
 * AVX-512), the rest of a row by the scalar loops; multiplications and additions in the scalar code's order, so the
 * results are the same bits.
 */
final class TransformRowsOnIncubator implements TransformRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final TransformRows.Scalar tail = new TransformRows.Scalar();

    @Override
    public void combine(float[] src, int base, int stride, int[] index, float[] coef, float[] dst, int d, int len) {
        int whole = len - len % L;
        int terms = index.length;
        for (int e = 0; e < terms; e += 4) {
            boolean first = e == 0;
            float c0 = coef[e];
            int s0 = base + index[e] * stride;
            switch (Math.min(4, terms - e)) {
                case 1 -> {
                    for (int t = 0; t < whole; t += L) {
                        put(FloatVector.fromArray(S, src, s0 + t).mul(c0), first, dst, d + t);
                    }
                }
                case 2 -> {
                    float c1 = coef[e + 1];
                    int s1 = base + index[e + 1] * stride;
                    for (int t = 0; t < whole; t += L) {
                        put(FloatVector.fromArray(S, src, s0 + t).mul(c0)
                                .add(FloatVector.fromArray(S, src, s1 + t).mul(c1)), first, dst, d + t);
                    }
                }
                case 3 -> {
                    float c1 = coef[e + 1], c2 = coef[e + 2];
                    int s1 = base + index[e + 1] * stride, s2 = base + index[e + 2] * stride;
                    for (int t = 0; t < whole; t += L) {
                        put(FloatVector.fromArray(S, src, s0 + t).mul(c0)
                                .add(FloatVector.fromArray(S, src, s1 + t).mul(c1))
                                .add(FloatVector.fromArray(S, src, s2 + t).mul(c2)), first, dst, d + t);
                    }
                }
                default -> {
                    float c1 = coef[e + 1], c2 = coef[e + 2], c3 = coef[e + 3];
                    int s1 = base + index[e + 1] * stride, s2 = base + index[e + 2] * stride;
                    int s3 = base + index[e + 3] * stride;
                    for (int t = 0; t < whole; t += L) {
                        put(FloatVector.fromArray(S, src, s0 + t).mul(c0)
                                .add(FloatVector.fromArray(S, src, s1 + t).mul(c1))
                                .add(FloatVector.fromArray(S, src, s2 + t).mul(c2))
                                .add(FloatVector.fromArray(S, src, s3 + t).mul(c3)), first, dst, d + t);
                    }
                }
            }
        }
        if (whole < len) {
            tail.combine(src, base + whole, stride, index, coef, dst, d + whole, len - whole);
        }
    }

    /**
     * Stores a group's sum at {@code dst[at]}, or adds it to what is there after the first group. Two stores, not one
     * of a vector chosen by a condition: a vector value merged from two paths is one C2 may box.
     */
    private static void put(FloatVector group, boolean first, float[] dst, int at) {
        if (first) {
            group.intoArray(dst, at);
        } else {
            FloatVector.fromArray(S, dst, at).add(group).intoArray(dst, at);
        }
    }

    @Override
    public void sumAndDifference(float[] a, int ia, float[] b, int ib, float[] dst, int s, int f, int len) {
        int whole = len - len % L;
        for (int t = 0; t < whole; t += L) {
            FloatVector x = FloatVector.fromArray(S, a, ia + t), y = FloatVector.fromArray(S, b, ib + t);
            x.add(y).intoArray(dst, s + t);
            x.sub(y).intoArray(dst, f + t);
        }
        if (whole < len) {
            tail.sumAndDifference(a, ia + whole, b, ib + whole, dst, s + whole, f + whole, len - whole);
        }
    }
}
