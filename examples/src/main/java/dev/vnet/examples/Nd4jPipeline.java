package dev.vnet.examples;

import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.nd4j.Nd4jArrays;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.train.TrainingStep;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A DL4J/ND4J pipeline around the V-Net: the data are ND4J arrays in a {@link DataSet} (features: RGB images
 * {@code [N, 3, H, W]} in 0..1, channels first; labels: masks {@code [N, 1, H, W]}), as a DL4J iterator gives them;
 * {@link Nd4jArrays} turns each batch into tensors for the trainer's step ({@link TrainingStep}: forward, Dice + BCE,
 * backward, Adam), and the predictions back into an {@code INDArray}, which ND4J thresholds and scores.
 *
 * <p>The images are made here with ND4J: noisy pink backgrounds with a few dark purple discs, the discs being the
 * mask. It trains a small V-Net for a few steps and stops with an exception if the loss does not fall. A few
 * seconds; no arguments.
 */
public final class Nd4jPipeline {
    private Nd4jPipeline() {}

    /**
     * Runs the pipeline and prints the loss and the held-out Dice.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int size = 32;
        DataSet train = discs(16, size, 1);
        DataSet test = discs(4, size, 2);

        VNet model = new VNet(VNetConfig.builder().inChannels(3).baseWidth(4).build(), 7);
        TrainingStep step = new TrainingStep(model, new Adam(model.parameters(), 3e-3), new DiceBceLoss());
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 1; epoch <= 6; epoch++) {
            double sum = 0;
            List<DataSet> batches = train.batchBy(4);
            for (DataSet batch : batches) {
                // ND4J -> vnet: one copy of each batch into the engine's tensors
                Tensor images = Nd4jArrays.imagesToTensor(batch.getFeatures(), 3);
                Tensor masks = Nd4jArrays.toTensor(batch.getLabels());
                sum += step.run(images, masks).loss();
            }
            last = sum / batches.size();
            if (epoch == 1) {
                first = last;
            }
            System.out.printf(Locale.ROOT, "epoch %d: mean loss %.4f%n", epoch, last);
        }
        if (!(last < first)) {
            throw new IllegalStateException("the loss did not fall: " + first + " -> " + last);
        }
        System.out.printf(Locale.ROOT, "loss fell from %.4f to %.4f%n", first, last);

        // vnet -> ND4J: the logits of held-out images, then probabilities, a mask and Dice, all in ND4J
        model.eval();
        INDArray logits;
        try (var ignored = GradMode.noGrad()) {
            logits = Nd4jArrays.toINDArray(model.forward(Nd4jArrays.imagesToTensor(test.getFeatures(), 3)));
        }
        INDArray predicted = Transforms.sigmoid(logits).gt(0.5).castTo(DataType.FLOAT);
        INDArray truth = test.getLabels();
        double overlap = predicted.mul(truth).sumNumber().doubleValue();
        double dice = 2 * overlap / (predicted.sumNumber().doubleValue() + truth.sumNumber().doubleValue());
        System.out.printf(Locale.ROOT, "held-out predictions %s, Dice %.3f against the ND4J masks%n",
                java.util.Arrays.toString(logits.shape()), dice);
    }

    /**
     * {@code n} RGB images of {@code size × size} pixels with 1 to 3 discs each, and their masks.
     *
     * @param n    images
     * @param size side in pixels
     * @param seed the seed of the noise and the discs
     * @return features {@code [n, 3, size, size]}, labels {@code [n, 1, size, size]}
     */
    static DataSet discs(int n, int size, long seed) {
        Random rng = new Random(seed);
        Nd4j.getRandom().setSeed(seed);
        INDArray masks = Nd4j.zeros(DataType.FLOAT, n, 1, size, size);
        for (int i = 0; i < n; i++) {
            for (int d = 1 + rng.nextInt(3); d > 0; d--) {
                int cx = 5 + rng.nextInt(size - 10);
                int cy = 5 + rng.nextInt(size - 10);
                for (int y = cy - 4; y <= cy + 4; y++) {
                    for (int x = cx - 4; x <= cx + 4; x++) {
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 16) {
                            masks.putScalar(new long[] {i, 0, y, x}, 1f);
                        }
                    }
                }
            }
        }
        // pink background (0.9, 0.7, 0.8) darkened to purple (0.4, 0.2, 0.6) inside the discs, plus noise
        INDArray images = Nd4j.create(DataType.FLOAT, n, 3, size, size);
        float[][] colour = {{0.9f, 0.4f}, {0.7f, 0.2f}, {0.8f, 0.6f}};
        for (int c = 0; c < 3; c++) {
            INDArray channel = masks.mul(colour[c][1] - colour[c][0]).add(colour[c][0])
                    .add(Nd4j.randn(DataType.FLOAT, n, 1, size, size).mul(0.05));
            images.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .assign(channel.reshape(n, size, size));
        }
        return new DataSet(images, masks);
    }
}
