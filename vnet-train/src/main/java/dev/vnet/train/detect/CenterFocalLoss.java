package dev.vnet.train.detect;

import dev.vnet.core.loss.Loss;
import dev.vnet.core.loss.NonFiniteLossException;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;

/**
 * The focal loss of CenterNet (Zhou et al., 2019, "Objects as Points") on a Gaussian heat-map, from logits:
 * with {@code p = σ(x)} and target {@code y},
 * <pre>
 *   y = 1 (a centre):  −(1 − p)^α · log p
 *   y &lt; 1:            −(1 − y)^β · p^α · log(1 − p)
 * </pre>
 * summed over every pixel and divided by the number of centres (at least 1). The {@code (1 − p)^α} and {@code p^α}
 * factors spend the gradient on the pixels still wrong, not on the millions of easy background pixels that dominate a
 * plain BCE; {@code (1 − y)^β} forgives a pixel next to a centre for being high, so the network is free to make peaks
 * as wide as it likes while still ranking the centre first. A pixel is a centre when its target is at least
 * {@code 1 − 1e-6} ({@link HeatMapTarget} draws exactly one such pixel per blast).
 *
 * @param alpha the focusing exponent α (CenterNet: 2)
 * @param beta  the exponent β of the penalty reduction near centres (CenterNet: 4)
 */
public record CenterFocalLoss(double alpha, double beta) implements Loss {

    /** CenterNet's α = 2, β = 4. */
    public static final CenterFocalLoss CENTERNET = new CenterFocalLoss(2, 4);

    /**
     * Validates the exponents.
     *
     * @param alpha the focusing exponent α, at least 1
     * @param beta  the exponent β, at least 0
     */
    public CenterFocalLoss {
        if (!(alpha >= 1) || !(beta >= 0)) {
            throw new IllegalArgumentException("focal loss needs alpha >= 1 and beta >= 0, got " + alpha + ", " + beta);
        }
    }

    @Override
    public String name() {
        return "focal";
    }

    // logits [*], target [*] in [0, 1] -> loss []
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        Shape.requireSame(name(), logits, target);
        float[] x = logits.data();
        float[] y = target.data();
        requireFinite("logits", x, logits);
        requireFinite("targets", y, target);
        int centres = 0;
        for (float v : y) {
            centres += v >= 1 - 1e-6f ? 1 : 0;
        }
        double norm = Math.max(1, centres);
        double sum = 0;
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double z = x[i];
            double p = 1 / (1 + Math.exp(-z));
            // log p = −softplus(−z), log(1 − p) = −softplus(z), without overflow for large |z|.
            double logP = -softplus(-z);
            double log1mP = -softplus(z);
            if (y[i] >= 1 - 1e-6f) {
                double q = Math.pow(1 - p, alpha);
                sum += -q * logP;
                // d/dz of −(1−p)^α log p, with dp/dz = p(1−p).
                grad[i] = alpha * q * p * logP - q * (1 - p);
            } else {
                double w = Math.pow(1 - y[i], beta);
                double pa = Math.pow(p, alpha);
                sum += -w * pa * log1mP;
                // d/dz of −w p^α log(1−p).
                grad[i] = -w * (alpha * pa * (1 - p) * log1mP - pa * p);
            }
        }
        double loss = sum / norm;
        if (!Double.isFinite(loss)) {
            throw new NonFiniteLossException(name() + ": the loss is " + loss + " (sum over " + x.length + " elements / "
                    + centres + " centres)");
        }
        return Tensor.result("centerFocal", new int[0], new float[] {(float) loss}, out -> {
            float[] dx = logits.gradBuffer();
            if (dx == null) {
                return;
            }
            double g = out.grad()[0] / norm;
            for (int i = 0; i < dx.length; i++) {
                dx[i] += (float) (grad[i] * g);
            }
        }, logits, target);
    }

    private void requireFinite(String what, float[] values, Tensor t) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new NonFiniteLossException(name() + ": " + what + " contain " + values[i] + " at index " + i
                        + " of shape " + java.util.Arrays.toString(t.shape()));
            }
        }
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
