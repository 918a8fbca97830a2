package dev.vnet.core.nn.vnet;

import dev.vnet.core.tensor.Tensor;
import java.nio.charset.StandardCharsets;

/**
 * Test weights generated from a tensor's name, identical to {@code value_for} in
 * {@code tools/fixtures/torch_vnet.py}: splitmix64 of FNV-1a(name)·golden + index, in double, cast to float.
 */
final class NamedValues {
    private NamedValues() {}

    static Tensor of(String name, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        long h = fnv1a32(name);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            long x = h * 0x9E3779B97F4A7C15L + i;
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            x = x ^ (x >>> 31);
            double u = (x >>> 11) * 0x1.0p-53;
            double val;
            if (shape.length == 4) {
                int fanIn = shape[1] * shape[2] * shape[3];
                val = (2 * u - 1) * Math.sqrt(3.0 / fanIn);
            } else if (name.endsWith("running_mean")) {
                val = (2 * u - 1) * 0.1;
            } else if (name.endsWith("running_var")) {
                val = 0.5 + u;
            } else if (name.contains("act_function")) {
                val = 0.1 + 0.3 * u;
            } else if (name.endsWith(".weight")) {
                val = 0.8 + 0.4 * u;
            } else {
                val = (2 * u - 1) * 0.1;
            }
            v[i] = (float) val;
        }
        return Tensor.wrap(v, shape);
    }

    private static long fnv1a32(String s) {
        long h = 0x811C9DC5L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = ((h ^ (b & 0xFF)) * 0x01000193L) & 0xFFFFFFFFL;
        }
        return h;
    }
}
