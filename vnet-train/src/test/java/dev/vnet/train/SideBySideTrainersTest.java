package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.data.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedding program may run two trainers at once, each with its own thread count: each must end with the weights
 * it ends with alone, because each run's loops use its own worker pool, not a process-wide setting.
 */
class SideBySideTrainersTest {
    @TempDir
    Path tmp;

    private static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);

    private static Map<String, Tensor> train(TrainConfig config, Path run) throws Exception {
        Trainer.builder(config, DATA, run).quiet(true).build().run();
        return Safetensors.read(run.resolve("checkpoints/best.safetensors")).tensors();
    }

    @Test
    void twoTrainersSideBySideGiveTheWeightsTheyGiveOneAfterTheOther() throws Exception {
        TrainConfig one = TinyData.config().toBuilder().threads(1).build();
        TrainConfig two = TinyData.config().toBuilder().threads(2).build();
        Map<String, Tensor> aloneOne = train(one, tmp.resolve("alone1"));
        Map<String, Tensor> aloneTwo = train(two, tmp.resolve("alone2"));

        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            Future<Map<String, Tensor>> sideOne = both.submit(() -> train(one, tmp.resolve("side1")));
            Future<Map<String, Tensor>> sideTwo = both.submit(() -> train(two, tmp.resolve("side2")));
            assertSameWeights(sideOne.get(), aloneOne);
            assertSameWeights(sideTwo.get(), aloneTwo);
        } finally {
            both.shutdownNow();
        }
    }

    private static void assertSameWeights(Map<String, Tensor> actual, Map<String, Tensor> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name).data()).as(name).containsExactly(expected.get(name).data());
        }
    }
}
