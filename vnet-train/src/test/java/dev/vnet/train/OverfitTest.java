package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.kernels.Parallel;
import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.io.data.SampleCache;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.ops.preprocess.SmearPreprocessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model learns: on two images it reaches a Dice above 0.9 (in evaluation mode, with the running batch
 * statistics) within a bounded number of steps. It typically gets there in about 130 steps; the output
 * transition's batch norm over a single channel makes the first steps slow.
 */
class OverfitTest {
    private static final int MAX_STEPS = 400;

    @Test
    void twoImagesAreLearnedToDiceAboveNinety() {
        Parallel.setThreads(1);
        List<Sample> two = TinyData.samples(6, 128, 96, 11).stream().filter(Sample::label).limit(2).toList();
        assertThat(two).hasSize(2);
        PreprocessConfig p = new PreprocessConfig(false, 64, 48, 0, 0, 0, 0, 8, 8, 0, 0.08);
        VNet model = new VNet(VNetConfig.builder().inChannels(3).baseWidth(8).build(), 1);
        model.parameters().get("out_tr.conv2.bias").data()[0] = (float) Math.log(0.05 / 0.95);
        Adam adam = new Adam(model.parameters(), 2e-2);
        DiceBceLoss loss = new DiceBceLoss();
        double dice = 0;
        int steps = 0;
        try (BatchLoader loader = BatchLoader.builder(two, new SmearPreprocessor(p)).batchSize(2).shuffle(false)
                .augment(Augment.NONE).cache(SampleCache.inMemory(1 << 24)).build()) {
            BatchLoader.Batch batch = loader.epoch(0).next();
            while (steps < MAX_STEPS && dice <= 0.9) {
                adam.zeroGrad();
                Tensor logits = model.forward(batch.images());
                loss.forward(logits, batch.masks()).backward();
                adam.step();
                steps++;
                if (steps % 10 == 0) {
                    model.eval();
                    try (var ignored = dev.vnet.core.tensor.GradMode.noGrad()) {
                        float[] prob = dev.vnet.core.ops.Activations.sigmoid(model.forward(batch.images()).data());
                        dice = PixelCounts.of(prob, batch.masks().data(), 0.5f).dice();
                    }
                    model.train(true);
                }
            }
        }
        assertThat(dice).as("evaluation-mode Dice after " + steps + " steps").isGreaterThan(0.9);
    }
}
