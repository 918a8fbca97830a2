package dev.vnet.core.loss;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;

/**
 * Soft Dice loss on the probabilities {@code p = σ(logits)} against the target {@code g}:
 * {@code 1 − (2·Σpg + s) / (Σp + Σg + s)}, or with the squared denominator of the V-Net paper
 * (Milletari et al., 2016) {@code 1 − (2·Σpg + s) / (Σp² + Σg² + s)}.
 *
 * <p>The sums run over the WHOLE batch (every sample, channel and pixel together), not per image and
 * then averaged: an image without any blast then does not contribute a loss of ~1 on its own, which
 * would dominate the average on smears where most patches are empty. The smoothing {@code s} keeps the
 * loss defined (and 0) when both prediction and target are empty.
 */
public final class DiceLoss implements Loss {
    /** The default smoothing {@code s}. */
    public static final float DEFAULT_SMOOTHING = 1f;

    private final float smoothing;
    private final boolean squaredDenominator;

    /** Dice with smoothing 1 and the plain denominator {@code Σp + Σg}. */
    public DiceLoss() {
        this(DEFAULT_SMOOTHING, false);
    }

    /**
     * @param smoothing          the {@code s} added to numerator and denominator, {@code >= 0}
     * @param squaredDenominator {@code true} for {@code Σp² + Σg²} (V-Net paper), {@code false} for {@code Σp + Σg}
     */
    public DiceLoss(float smoothing, boolean squaredDenominator) {
        if (!(smoothing >= 0f) || Float.isInfinite(smoothing)) {
            throw new IllegalArgumentException("Dice: smoothing must be a finite number >= 0, got " + smoothing);
        }
        this.smoothing = smoothing;
        this.squaredDenominator = squaredDenominator;
    }

    /** {@return the smoothing {@code s}} */
    public float smoothing() {
        return smoothing;
    }

    /** {@return whether the denominator is {@code Σp² + Σg²}} */
    public boolean squaredDenominator() {
        return squaredDenominator;
    }

    @Override
    public String name() {
        return "Dice";
    }

    // logits [*], target [*] -> loss []
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        Shape.requireSame(name(), logits, target);
        float[] x = logits.data(), g = target.data();
        NonFiniteLossException.requireFinite(name(), "logits", x, logits.shape());
        NonFiniteLossException.requireFinite(name(), "targets", g, target.shape());
        int n = x.length;
        float[] p = new float[n];
        double intersection = 0, sumP = 0, sumG = 0;
        for (int i = 0; i < n; i++) {
            float pi = Activations.sigmoid(x[i]);
            p[i] = pi;
            intersection += (double) pi * g[i];
            sumP += squaredDenominator ? (double) pi * pi : pi;
            sumG += squaredDenominator ? (double) g[i] * g[i] : g[i];
        }
        double numerator = 2 * intersection + smoothing;
        double denominator = sumP + sumG + smoothing;
        double loss = 1 - numerator / denominator;
        NonFiniteLossException.requireFiniteResult(name(), loss, "2·Σpg + s = " + numerator + ", denominator = "
                + denominator + ", smoothing " + smoothing);
        return Tensor.result("dice", new int[0], new float[] {(float) loss}, out -> {
            float[] dx = logits.gradBuffer();
            if (dx == null) {
                return;
            }
            // dL/dp_i = −(2·g_i·D − N·dD/dp_i) / D², with dD/dp_i = 1 (or 2·p_i); dp/dx = p·(1 − p).
            double up = out.grad()[0];
            double a = 2 / denominator;
            double b = numerator / (denominator * denominator);
            for (int i = 0; i < n; i++) {
                double pi = p[i];
                double dDdp = squaredDenominator ? 2 * pi : 1;
                double dLdp = -(a * g[i] - b * dDdp);
                dx[i] += (float) (up * dLdp * pi * (1 - pi));
            }
        }, logits, target);
    }
}
