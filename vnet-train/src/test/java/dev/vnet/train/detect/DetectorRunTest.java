package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.vnet.io.data.Sample;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.EpochRecord;
import dev.vnet.train.EpochTiming;
import dev.vnet.train.Evaluator;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import dev.vnet.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point detector's run with its batches cut on a background thread, its training metrics measured on another and its
 * final evaluation taken from the best epoch's validation: the same numbers on every run of a seed, the final numbers
 * those of the best checkpoint evaluated anew, and every epoch's time accounted for.
 */
class DetectorRunTest {

    private static final List<Sample> SMEARS = TinyData.samples(8, 160, 120, 5);

    private static TrainConfig config() {
        return TinyData.detector(160).toBuilder().epochs(3).threads(2).build();
    }

    private static TrainResult train(Path dir, List<EpochTiming> timings) throws Exception {
        return Trainer.builder(config(), SMEARS, dir).quiet(true).listener(new TrainingListener() {
            @Override
            public void epochTimed(EpochTiming t) {
                timings.add(t);
            }
        }).build().run();
    }

    @Test
    void twoRunsOfASeedAgreeAndTheFinalNumbersAreTheBestCheckpointsOwn(@TempDir Path dir) throws Exception {
        List<EpochTiming> timings = new ArrayList<>();
        TrainResult a = train(dir.resolve("a"), timings);
        TrainResult b = train(dir.resolve("b"), new ArrayList<>());

        assertThat(b.history()).hasSameSizeAs(a.history());
        for (int i = 0; i < a.history().size(); i++) {
            EpochRecord x = a.history().get(i);
            EpochRecord y = b.history().get(i);
            assertThat(y.train()).as("training metrics of epoch " + x.epoch()).isEqualTo(x.train());
            assertThat(y.validation()).as("validation metrics of epoch " + x.epoch()).isEqualTo(x.validation());
        }
        assertThat(Files.readAllBytes(b.bestCheckpoint())).isEqualTo(Files.readAllBytes(a.bestCheckpoint()));
        assertThat(b.final_()).isEqualTo(a.final_());

        // The run's final numbers, from the scores its best epoch kept, are those of its best checkpoint run again
        // over the validation images.
        Set<String> validation = JsonParser.parseString(Files.readString(a.runDir().resolve("split.json")))
                .getAsJsonObject().getAsJsonArray("validation").asList().stream().map(e -> e.getAsString())
                .collect(Collectors.toSet());
        List<Sample> val = SMEARS.stream().filter(s -> validation.contains(s.name())).toList();
        assertThat(val).isNotEmpty();
        DetectionValidation.Outcome anew = Evaluator.evaluateDetector(Checkpoint.load(a.bestCheckpoint()), val);
        assertThat(a.final_()).isEqualTo(anew.metrics());

        // Each epoch's steps: 8 patches in batches of 4.
        assertThat(timings).hasSize(3);
        for (EpochTiming t : timings) {
            assertThat(t.steps()).isEqualTo(2);
            assertThat(t.stepSeconds()).isPositive();
            assertThat(t.validationSeconds()).isPositive();
            assertThat(t.seconds()).isGreaterThanOrEqualTo(t.stepSeconds() + t.validationSeconds());
        }
    }
}
