package dev.vnet.train.bench;

import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.train.TrainingStep;

/**
 * The trainer's {@link TrainingStep} (Dice + BCE, Adam at 1e-4) and one inference batch on a fixed random batch: the
 * unit that {@code vnet bench}, the JMH benchmarks and {@code tools/bench/torch_vnet_step.py} time the same way. The
 * batch is {@code [n, inChannels, size, size]} uniform in [0, 1), the target a disc-shaped mask per image, so the
 * loss and its gradient are those of a real step.
 */
public final class RandomBatchStep {
    private final VNet model;
    private final TrainingStep step;
    private final Tensor images;
    private final Tensor masks;

    /**
     * A model of {@code config} with weights from {@code seed}, and a random batch.
     *
     * @param config the model's layout
     * @param batch  images per step, at least 1
     * @param size   height and width of each image
     * @param seed   the seed of the weights and of the batch
     */
    public RandomBatchStep(VNetConfig config, int batch, int size, long seed) {
        if (batch < 1 || size < 1) {
            throw new IllegalArgumentException("training step: batch and size must be >= 1, got " + batch + " and " + size);
        }
        Rng rng = new Rng(seed);
        model = new VNet(config, rng);
        step = new TrainingStep(model, new Adam(model.parameters(), 1e-4), new DiceBceLoss());
        images = Tensor.uniform(rng, 0f, 1f, batch, config.inChannels(), size, size);
        float[] m = new float[batch * size * size];
        float r2 = size * size / 36f;
        for (int i = 0; i < batch; i++) {
            float cy = size * (0.3f + 0.1f * i % 0.5f);
            float cx = size * 0.5f;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    m[(i * size + y) * size + x] = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r2 ? 1f : 0f;
                }
            }
        }
        masks = Tensor.wrap(m, batch, 1, size, size);
    }

    /** {@return the model being trained} */
    public VNet model() {
        return model;
    }

    /**
     * One training step of the trainer on the batch.
     *
     * @return the loss before the update
     */
    public float train() {
        return (float) step.run(images, masks).loss();
    }

    /**
     * One inference batch: forward in evaluation mode with no graph recorded.
     *
     * @return the logits, {@code [n, 1, size, size]}
     */
    public Tensor infer() {
        step.releaseBuffers();
        model.eval();
        try (var ignored = GradMode.noGrad(); var pass = new BufferPool().use()) {
            return model.forward(images);
        }
    }
}
