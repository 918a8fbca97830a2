package dev.vnet.train;

import dev.vnet.core.loss.Loss;
import dev.vnet.core.loss.NonFiniteLossException;
import dev.vnet.core.nn.Module;
import dev.vnet.core.optim.Optimizer;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/**
 * One optimisation step of a model on one batch: training mode, zero the gradients, forward, loss, backward,
 * optimiser step. The {@link Trainer} runs it for every batch, and the benchmarks time this same object.
 */
public final class TrainingStep {
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    // The step's activations and their gradients, reused from step to step (see BufferPool)
    private final BufferPool buffers = new BufferPool();

    /**
     * The step of {@code optimizer} on {@code model}'s parameters under {@code loss}.
     *
     * @param model     the network
     * @param optimizer the optimiser over the network's parameters
     * @param loss      the loss of the network's output against a batch's target
     */
    public TrainingStep(Module model, Optimizer optimizer, Loss loss) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
    }

    /**
     * What a step computed.
     *
     * @param output the model's output on the batch, before the update ({@code [n, c, h, w]} logits for a V-Net)
     * @param loss   the loss before the update
     */
    public record Outcome(Tensor output, double loss) {}

    /**
     * Lets the collector have the arrays kept for the next step: before work that is not a training step (validation,
     * inference), whose own arrays would otherwise come on top of them. The next step allocates them again.
     */
    public void releaseBuffers() {
        buffers.clear();
    }

    /**
     * Runs one step.
     *
     * @param input  the batch, {@code [n, c, h, w]}
     * @param target what the loss compares the output with
     * @return the output and the loss before the update
     * @throws NonFiniteLossException if the loss, or what it was computed from, is not finite; the weights are then
     *                                left as they were
     */
    public Outcome run(Tensor input, Tensor target) {
        model.train(true);
        optimizer.zeroGrad();
        try (var ignored = buffers.use()) {
            // the output outlives the backward pass (the caller reads it), so its array is not reused
            Tensor output = model.forward(input).keepData();
            Tensor l = loss.forward(output, target);
            double value = l.item();
            if (!Double.isFinite(value)) {
                throw new NonFiniteLossException("loss = " + value);
            }
            l.backward();
            optimizer.step();
            return new Outcome(output, value);
        }
    }
}
