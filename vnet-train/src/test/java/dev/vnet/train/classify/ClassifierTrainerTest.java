package dev.vnet.train.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.train.InterruptCheckpoint;
import dev.vnet.train.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier trainer's time budget and interrupt checkpoint, as the segmentation trainer's. */
class ClassifierTrainerTest {
    @TempDir
    Path tmp;

    private static final List<CellCrop> CROPS = SyntheticCrops.crops(12, 32, 9);
    private static final ClassifierConfig CONFIG = new ClassifierConfig(32, 4, 2, 1, 0.3, 3, 4, 3e-3, 1e-4, 0.1, 0.25,
            true, 2, 1);

    @Test
    void aRunOutOfTimeEndsCompleteAfterTheEpochInProgressAndResumesToTheUninterruptedWeights() throws Exception {
        ClassifierTrainer.builder(CONFIG, CROPS, tmp.resolve("whole")).quiet(true).build().run();
        Path run = tmp.resolve("budget");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // A millisecond: the first epoch always runs, no second one fits.
        ClassifierTrainer.Result r = ClassifierTrainer.builder(CONFIG, CROPS, run)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8)).timeBudget(Duration.ofMillis(1)).build().run();
        assertEquals(1, r.history().size());
        assertNotNull(r.scores(), "the best epoch is evaluated as at the end of a run");
        assertTrue(Files.isRegularFile(run.resolve("report.md")));
        assertEquals(1, ClassifierCheckpoint.load(run.resolve("checkpoints/last.safetensors")).epoch());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("time budget of 0 min: ending after epoch 1 of 3"),
                log.toString(StandardCharsets.UTF_8));

        ClassifierTrainer.Result more = ClassifierTrainer.builder(CONFIG, CROPS, run).quiet(true).resume(true).build()
                .run();
        assertEquals(List.of(1, 2, 3), more.history().stream().map(ClassifierEpoch::epoch).toList());
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size());
        assertSameWeights(tmp.resolve("whole/checkpoints/last.safetensors"),
                run.resolve("checkpoints/last.safetensors"));
    }

    @Test
    void aBudgetThatFitsChangesNothing() throws Exception {
        ClassifierTrainer.Result r = ClassifierTrainer.builder(CONFIG, CROPS, tmp.resolve("run")).quiet(true)
                .timeBudget(Duration.ofHours(1)).build().run();
        assertEquals(CONFIG.epochs(), r.history().size());
    }

    @Test
    void anInterruptSavesALoadableCheckpointLabelledWithTheEpochItsWeightsAreFrom() throws Exception {
        CellClassifier model = new CellClassifier(CONFIG, CONFIG.seed());
        Path file = tmp.resolve("interrupted.safetensors");
        InterruptCheckpoint hook = new InterruptCheckpoint(ClassifierTrainer.interruptWeights(model), file,
                new Object(), 0, 0);
        hook.run();
        assertEquals(0, ClassifierCheckpoint.load(file).epoch(), "before the first step");

        hook.stepDone(1, 3);
        hook.epochDone(1);
        hook.stepDone(2, 4);
        Map.Entry<String, Tensor> head = model.stateDict().entrySet().stream()
                .filter(e -> e.getKey().endsWith("bias")).reduce((a, b) -> b).orElseThrow();
        Arrays.fill(head.getValue().data(), 0.25f);
        hook.run();
        ClassifierCheckpoint c = ClassifierCheckpoint.load(file);
        assertEquals(2, c.epoch(), "partway through epoch 2");
        assertEquals(4, c.step());
        float[] saved = c.model().stateDict().get(head.getKey()).data();
        for (float v : saved) {
            assertEquals(0.25f, v);
        }
        assertEquals(1, CellScorer.load(file).probabilitiesOf(CROPS.subList(0, 1)).length);

        hook.finish();
        Files.delete(file);
        hook.run();
        assertFalse(Files.exists(file), "a finished run saves nothing");
    }

    @Test
    void saveOnInterruptArmsTheCheckpointForTheRunsStepsOnly() throws Exception {
        List<Boolean> armedAtSteps = new ArrayList<>();
        TrainingListener watch = new TrainingListener() {
            @Override
            public void stepEnded(int epoch, long step, double loss, int images) {
                armedAtSteps.add(InterruptCheckpoint.armed());
            }
        };
        ClassifierConfig two = CONFIG.withEpochs(2);
        ClassifierTrainer.builder(two, CROPS, tmp.resolve("on")).quiet(true).saveOnInterrupt(true).listener(watch)
                .build().run();
        assertFalse(armedAtSteps.isEmpty());
        assertTrue(armedAtSteps.stream().allMatch(a -> a), "armed at every step");
        assertFalse(InterruptCheckpoint.armed(), "disarmed when the run is over");
        assertFalse(Files.exists(tmp.resolve("on/checkpoints/interrupted.safetensors")));

        armedAtSteps.clear();
        ClassifierTrainer.builder(two, CROPS, tmp.resolve("off")).quiet(true).listener(watch).build().run();
        assertTrue(armedAtSteps.stream().noneMatch(a -> a), "a library run does not hook into the JVM's shutdown");
    }

    private static void assertSameWeights(Path a, Path b) throws Exception {
        Map<String, Tensor> x = ClassifierCheckpoint.load(a).model().stateDict();
        Map<String, Tensor> y = ClassifierCheckpoint.load(b).model().stateDict();
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).data(), y.get(k).data(), k);
        }
    }
}
