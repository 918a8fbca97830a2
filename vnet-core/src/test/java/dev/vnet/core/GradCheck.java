package dev.vnet.core;

import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.function.Function;

/**
 * Finite-difference gradient check: compares the gradients that {@code backward()} computes with
 * central differences {@code (L(x + h) − L(x − h)) / 2h} of the scalar {@code L = Σ r ⊙ f(x)}, where
 * {@code r} is a fixed random weighting so every output element matters. The forward runs in float32
 * (the engine's precision); {@code L} is summed in double and the step is the exact difference of the
 * two perturbed float values.
 */
public final class GradCheck {
    private final double h;
    private final double rtol;

    private GradCheck(double h, double rtol) {
        this.h = h;
        this.rtol = rtol;
    }

    /** A check with step {@code h} and relative tolerance {@code rtol}. */
    public static GradCheck of(double h, double rtol) {
        return new GradCheck(h, rtol);
    }

    /** Step 1e-2, tolerance 1e-2: suits smooth ops on values of order 1 with float32 forwards. */
    public static GradCheck standard() {
        return new GradCheck(1e-2, 1e-2);
    }

    /**
     * Checks every input that requires a gradient.
     *
     * @param what   the name used in failure messages
     * @param f      the function of the inputs, called repeatedly (it must be deterministic)
     * @param inputs the inputs; those that require a gradient are checked
     */
    public void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t != null) {
                t.zeroGrad();
            }
        }
        Tensor out = f.apply(inputs);
        Rng rng = new Rng(12345);
        float[] weights = new float[out.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = rng.nextFloat() * 2 - 1;
        }
        out.backward(weights);
        int checked = 0;
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            if (in == null || !in.requiresGrad()) {
                continue;
            }
            float[] analytic = in.grad() == null ? new float[in.size()] : in.grad().clone();
            in.zeroGrad();
            float[] x = in.data();
            double[] numeric = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                float v = x[i];
                float plus = (float) (v + h);
                float minus = (float) (v - h);
                x[i] = plus;
                double lp = weightedSum(f, inputs, weights);
                x[i] = minus;
                double lm = weightedSum(f, inputs, weights);
                x[i] = v;
                numeric[i] = (lp - lm) / ((double) plus - minus);
            }
            compare(what + " input " + k, analytic, numeric);
            checked++;
        }
        if (checked == 0) {
            throw new AssertionError(what + ": no input requires a gradient, nothing was checked");
        }
    }

    private static double weightedSum(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] weights) {
        try (var ignored = GradMode.noGrad()) {
            float[] y = f.apply(inputs).data();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) weights[i] * y[i];
            }
            return s;
        }
    }

    /** {@code |analytic − numeric| ≤ rtol · max(|numeric|, 0.1 · max|numeric|, 1e-4)} for every element. */
    private void compare(String what, float[] analytic, double[] numeric) {
        double scale = 0;
        for (double v : numeric) {
            scale = Math.max(scale, Math.abs(v));
        }
        double floor = Math.max(0.1 * scale, 1e-4);
        for (int i = 0; i < numeric.length; i++) {
            double err = Math.abs(analytic[i] - numeric[i]);
            double allowed = rtol * Math.max(Math.abs(numeric[i]), floor);
            if (!(err <= allowed)) {
                throw new AssertionError(what + ": gradient at index " + i + " is " + analytic[i] + " by backward() but "
                        + numeric[i] + " by central differences (allowed error " + allowed + ")");
            }
        }
    }
}
