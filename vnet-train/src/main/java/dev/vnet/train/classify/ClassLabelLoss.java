package dev.vnet.train.classify;

import dev.vnet.core.loss.CrossEntropyLoss;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.tensor.Tensor;

/**
 * Softmax cross-entropy as a {@link Loss} of the trainer's {@link dev.vnet.train.TrainingStep}: the target is a
 * tensor {@code [n]} of class indices stored as floats ({@link CropTensors#labels}), passed on as integers.
 */
public final class ClassLabelLoss implements Loss {
    private final CrossEntropyLoss loss;

    /**
     * Cross-entropy with label smoothing and no class weights.
     *
     * @param labelSmoothing the smoothing, in [0, 1)
     */
    public ClassLabelLoss(double labelSmoothing) {
        this.loss = new CrossEntropyLoss(null, (float) labelSmoothing);
    }

    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        float[] t = target.data();
        int[] classes = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            classes[i] = Math.round(t[i]);
            if (classes[i] != t[i]) {
                throw new IllegalArgumentException("target " + i + " is " + t[i] + ", expected a class index");
            }
        }
        return loss.forward(logits, classes);
    }

    @Override
    public String name() {
        return "cross-entropy";
    }
}
