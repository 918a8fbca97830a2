package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.data.Sample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run with a time budget ends complete before an epoch that would not fit, and can be continued. */
class TimeBudgetTest {
    @TempDir
    Path tmp;

    private static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);

    @Test
    void aRunOutOfTimeEndsCompleteAfterTheEpochsThatFit() throws Exception {
        TrainConfig config = TinyData.config().toBuilder().epochs(3).build();
        Path run = tmp.resolve("run");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // A millisecond: the first epoch always runs, no second one fits.
        TrainResult r = Trainer.builder(config, DATA, run).log(new PrintStream(log, true, StandardCharsets.UTF_8))
                .timeBudget(Duration.ofMillis(1)).build().run();
        assertThat(r.history()).hasSize(1);
        assertThat(r.final_()).as("the best epoch is evaluated as at the end of a run").isNotNull();
        assertThat(run.resolve("report.md")).isRegularFile();
        assertThat(Checkpoint.load(run.resolve("checkpoints/best.safetensors")).epoch()).isEqualTo(1);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("time budget", "ending after epoch 1 of 3");

        TrainResult more = Trainer.builder(config, DATA, run).quiet(true).resume(true).build().run();
        assertThat(more.history()).extracting(EpochRecord::epoch).containsExactly(1, 2, 3);
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(4);
    }

    @Test
    void aBudgetThatFitsChangesNothing() throws Exception {
        TrainConfig config = TinyData.config();
        TrainResult r = Trainer.builder(config, DATA, tmp.resolve("run")).quiet(true).timeBudget(Duration.ofHours(1))
                .build().run();
        assertThat(r.history()).hasSize(config.epochs());
        assertThatThrownBy(() -> Trainer.builder(config, DATA, tmp.resolve("x")).timeBudget(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time budget must be positive");
    }
}
