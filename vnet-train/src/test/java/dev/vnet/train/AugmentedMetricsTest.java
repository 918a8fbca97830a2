package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Point;
import dev.vnet.io.data.BatchLoader;
import dev.vnet.io.data.Sample;
import dev.vnet.ops.Image8;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cell-level metrics of training batches stay right when augmentation moved the cells. */
class AugmentedMetricsTest {

    // A 64×64 sample whose one blast is at (12, 20); the batch holds it mirrored left-right, as augmentation does.
    private static BatchLoader.Batch mirroredBatch() {
        int s = 64;
        float[] mask = new float[s * s];
        int cx = s - 1 - 12;
        int cy = 20;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 16) {
                    mask[y * s + x] = 1;
                }
            }
        }
        Sample sample = Sample.ofImage("Im001_1", new Image8(s, s, 1), List.of(new Point(12, 20)), true);
        return new BatchLoader.Batch(Tensor.zeros(1, 1, s, s), Tensor.wrap(mask, 1, 1, s, s), List.of(sample));
    }

    @Test
    void trueCellsOfAnAugmentedBatchComeFromItsMask() {
        BatchLoader.Batch batch = mirroredBatch();
        float[] perfect = batch.masks().data().clone();

        MetricsAccumulator augmented = new MetricsAccumulator(EvaluationConfig.DEFAULT);
        new Evaluator().addBatch(augmented, batch, perfect, true);
        assertThat(augmented.result().cellF1()).isEqualTo(1.0);

        // Against the sample's own (un-mirrored) centre the same perfect prediction would score nothing.
        MetricsAccumulator plain = new MetricsAccumulator(EvaluationConfig.DEFAULT);
        new Evaluator().addBatch(plain, batch, perfect, false);
        assertThat(plain.result().cellF1()).isEqualTo(0.0);
    }
}
