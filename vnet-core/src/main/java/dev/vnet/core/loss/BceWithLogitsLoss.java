package dev.vnet.core.loss;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;

/**
 * Binary cross-entropy on logits, averaged over every element, as
 * {@code torch.nn.functional.binary_cross_entropy_with_logits(x, y)}:
 * {@code mean(max(x, 0) − x·y + log(1 + exp(−|x|)))}, which equals {@code −y·log σ(x) − (1−y)·log(1−σ(x))}
 * without overflowing or taking the log of 0 for large |x|.
 */
public final class BceWithLogitsLoss implements Loss {

    @Override
    public String name() {
        return "BCE";
    }

    // logits [*], target [*] -> loss []
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        Shape.requireSame(name(), logits, target);
        float[] x = logits.data(), y = target.data();
        NonFiniteLossException.requireFinite(name(), "logits", x, logits.shape());
        NonFiniteLossException.requireFinite(name(), "targets", y, target.shape());
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            sum += Math.max(xi, 0) - xi * y[i] + Math.log1p(Math.exp(-Math.abs(xi)));
        }
        int n = x.length;
        double loss = sum / n;
        NonFiniteLossException.requireFiniteResult(name(), loss, "mean over " + n + " elements");
        return Tensor.result("bceWithLogits", new int[0], new float[] {(float) loss}, out -> {
            float[] dx = logits.gradBuffer();
            if (dx == null) {
                return;
            }
            // d/dx = (σ(x) − y) / n
            double g = out.grad()[0] / (double) n;
            for (int i = 0; i < n; i++) {
                dx[i] += (float) ((Activations.sigmoid(x[i]) - y[i]) * g);
            }
        }, logits, target);
    }
}
