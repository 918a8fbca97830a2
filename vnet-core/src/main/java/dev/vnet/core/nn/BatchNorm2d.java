package dev.vnet.core.nn;

import dev.vnet.core.ops.Normalization;
import dev.vnet.core.tensor.Tensor;

/**
 * Batch normalisation of NCHW tensors like {@code torch.nn.BatchNorm2d(C)}: parameters {@code weight}
 * (1) and {@code bias} (0), buffers {@code running_mean} (0), {@code running_var} (1) and
 * {@code num_batches_tracked} (0). Training mode normalises with the batch's statistics and updates the
 * running ones (momentum 0.1, unbiased variance); evaluation mode uses the running statistics.
 *
 * <p>{@code num_batches_tracked} is a float scalar (PyTorch: int64); it counts exactly up to 2^24 batches.
 */
public final class BatchNorm2d extends Module {
    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /**
     * Batch norm over {@code numFeatures} channels with eps 1e-5 and momentum 0.1.
     *
     * @param numFeatures the number of channels {@code C}
     */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, Normalization.DEFAULT_EPS, Normalization.DEFAULT_MOMENTUM);
    }

    /**
     * Batch norm with the given eps and momentum.
     *
     * @param numFeatures the number of channels {@code C}
     * @param eps         added to the variance before the square root
     * @param momentum    the weight of the batch statistics in the running averages
     */
    public BatchNorm2d(int numFeatures, float eps, float momentum) {
        if (numFeatures < 1 || !(eps > 0f) || !(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("BatchNorm2d: needs numFeatures >= 1, eps > 0 and momentum in [0, 1], got "
                    + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.full(1f, numFeatures));
        this.bias = registerParameter("bias", Tensor.zeros(numFeatures));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.full(1f, numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    /** {@return {@code weight [C]}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [C]}} */
    public Parameter bias() {
        return bias;
    }

    /** {@return {@code running_mean [C]}} Not a copy. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** {@return {@code running_var [C]}} Not a copy. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** {@return the number of training batches seen} */
    public long numBatchesTracked() {
        return (long) numBatchesTracked.item();
    }

    // x [n, C, h, w] -> y [n, C, h, w]
    @Override
    public Tensor forward(Tensor x) {
        return normalise(x, false);
    }

    /**
     * {@code relu(forward(x))} in one op ({@link Normalization#batchNormRelu2d}): the same values, gradients and
     * running statistics, without keeping the normalised tensor for the backward pass.
     *
     * @param x the input, {@code [N, C, H, W]}
     * @return the normalised input with negatives set to zero
     */
    // x [n, C, h, w] -> y [n, C, h, w]
    public Tensor forwardRelu(Tensor x) {
        return normalise(x, true);
    }

    private Tensor normalise(Tensor x, boolean relu) {
        boolean training = isTraining();
        Tensor y = relu
                ? Normalization.batchNormRelu2d(x, weight.value(), bias.value(), runningMean, runningVar, training,
                        momentum, eps)
                : Normalization.batchNorm2d(x, weight.value(), bias.value(), runningMean, runningVar, training,
                        momentum, eps);
        if (training) {
            numBatchesTracked.data()[0] += 1f;
        }
        return y;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + numFeatures + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
