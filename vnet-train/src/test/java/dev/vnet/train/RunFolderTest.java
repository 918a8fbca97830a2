package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.AtomicFolder;
import dev.vnet.io.FolderLock;
import dev.vnet.io.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An epoch's checkpoints are one unit: whatever instant a crash stops the end-of-epoch write at, the run resumes
 * from the previous epoch or the new one and ends with the weights of an uninterrupted run; a run that never
 * completed an epoch starts over without --force, and --force clears the old run.
 */
class RunFolderTest {
    private static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);
    private static final TrainConfig CONFIG = TinyData.config().toBuilder().epochs(3).build();

    @TempDir
    static Path shared;

    private static Path straight;
    private static Path afterEpoch1;
    private static Path afterEpoch2;

    @TempDir
    Path tmp;

    @BeforeAll
    static void runs() throws IOException {
        straight = shared.resolve("straight");
        Trainer.builder(CONFIG, DATA, straight).quiet(true).build().run();
        afterEpoch1 = shared.resolve("epoch1");
        Trainer.builder(CONFIG, DATA, afterEpoch1).quiet(true).stopAfterEpoch(1).build().run();
        afterEpoch2 = shared.resolve("epoch2");
        copyTree(afterEpoch1, afterEpoch2);
        Trainer.builder(CONFIG, DATA, afterEpoch2).quiet(true).resume(true).stopAfterEpoch(2).build().run();
    }

    @Test
    void checkpointsAreOneCompleteUnitWithTheUsualPaths() throws IOException {
        Path cp = afterEpoch2.resolve("checkpoints");
        assertThat(AtomicFolder.isComplete(cp)).isTrue();
        assertThat(AtomicFolder.files(cp)).contains("last.safetensors", "last.state.safetensors", "best.safetensors");
        assertThat(Checkpoint.load(cp.resolve("last.safetensors")).epoch()).isEqualTo(2);
        assertThat(Checkpoint.load(cp.resolve("best.safetensors")).epoch()).isBetween(1, 2);
    }

    /** Each state a crash can leave, from the write's first file to the old folder's deletion. */
    @Test
    void aCrashAtAnyStepOfTheEpochWriteResumesToTheUninterruptedWeights() throws IOException {
        Path e1 = afterEpoch1.resolve("checkpoints");
        Path e2 = afterEpoch2.resolve("checkpoints");
        // Half-written new folder (no manifest), the old one in place, a stray temporary file of an older version.
        Path r1 = crashed("partial", run -> {
            copyTree(e1, run.resolve("checkpoints"));
            Path fresh = run.resolve(".checkpoints.new.tmp");
            Files.createDirectories(fresh);
            Files.write(fresh.resolve("last.safetensors"), new byte[1000]);
            Files.write(run.resolve("checkpoints/.last.safetensors.123.tmp"), new byte[0]);
        });
        assertResumesFrom(r1, 1);
        // The old folder moved away, the complete new one not yet in place.
        Path r2 = crashed("between renames", run -> {
            copyTree(e1, run.resolve(".checkpoints.old.tmp"));
            copyTree(e2, run.resolve(".checkpoints.new.tmp"));
        });
        assertResumesFrom(r2, 2);
        // The new folder in place, the old one not yet deleted.
        Path r3 = crashed("before the old is deleted", run -> {
            copyTree(e2, run.resolve("checkpoints"));
            copyTree(e1, run.resolve(".checkpoints.old.tmp"));
        });
        assertResumesFrom(r3, 2);
        // A new folder moved in while a signal's cleanup was deleting its files: the old one is whole.
        Path r4 = crashed("cleaned while moved in", run -> {
            copyTree(e2, run.resolve("checkpoints"));
            Files.delete(run.resolve("checkpoints/last.state.safetensors"));
            copyTree(e1, run.resolve(".checkpoints.old.tmp"));
        });
        assertResumesFrom(r4, 1);
        for (Path run : List.of(r1, r2, r3, r4)) {
            Trainer.builder(CONFIG, DATA, run).quiet(true).resume(true).build().run();
            assertSameWeights(run, straight);
            try (Stream<Path> s = Files.walk(run)) {
                assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aRunThatNeverCompletedAnEpochStartsOverWithoutForceAndResumeSaysSo() throws IOException {
        Path run = tmp.resolve("stopped");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve("config.json"), CONFIG.toJson());
        Files.write(run.resolve("checkpoints/interrupted.safetensors"), new byte[10]);
        assertThatThrownBy(() -> Trainer.builder(CONFIG, DATA, run).quiet(true).resume(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("never completed an epoch")
                .hasMessageContaining("without --resume");
        Trainer.builder(CONFIG, DATA, run).quiet(true).stopAfterEpoch(1).build().run();
        assertThat(run.resolve("checkpoints/interrupted.safetensors")).doesNotExist();
        assertThat(Checkpoint.load(run.resolve("checkpoints/last.safetensors")).epoch()).isEqualTo(1);
    }

    @Test
    void aRunKilledBeforeItsConfigurationWasWrittenStartsOverWithoutForce() throws IOException {
        // What a run writes before config.json: an empty checkpoints/ and split.json; a user's file is kept apart.
        Path run = tmp.resolve("early");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve(Trainer.SPLIT), "{}");
        assertThatThrownBy(() -> Trainer.builder(CONFIG, DATA, run).quiet(true).resume(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("never completed an epoch")
                .hasMessageContaining("without --resume");
        Trainer.builder(CONFIG, DATA, run).quiet(true).stopAfterEpoch(1).build().run();
        assertThat(Checkpoint.load(run.resolve("checkpoints/last.safetensors")).epoch()).isEqualTo(1);
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve(Trainer.SPLIT), "{}");
        Files.writeString(mine.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Trainer.builder(CONFIG, DATA, mine).quiet(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("not empty");
    }

    @Test
    void forceClearsTheOldRunButNotOtherFiles() throws IOException {
        Path run = tmp.resolve("old");
        copyTree(afterEpoch2, run);
        Files.write(run.resolve("checkpoints/interrupted.safetensors"), new byte[10]);
        Files.createDirectories(run.resolve("plots"));
        Files.writeString(run.resolve("plots/old.png"), "x");
        Files.writeString(run.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Trainer.builder(CONFIG, DATA, run).quiet(true).build().run())
                .isInstanceOf(TrainingException.class).hasMessageContaining("not empty");
        Trainer.builder(CONFIG, DATA, run).quiet(true).overwrite(true).stopAfterEpoch(1).build().run();
        assertThat(run.resolve("checkpoints/interrupted.safetensors")).doesNotExist();
        assertThat(run.resolve("plots/old.png")).doesNotExist();
        assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2);
        assertThat(Files.readString(run.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void anInterruptedCheckpointIsCarriedOverByTheNextEpoch() throws IOException {
        Path run = tmp.resolve("carried");
        copyTree(afterEpoch1, run);
        byte[] interrupted = Files.readAllBytes(afterEpoch1.resolve("checkpoints/last.safetensors"));
        Files.write(run.resolve("checkpoints/interrupted.safetensors"), interrupted);
        Trainer.builder(CONFIG, DATA, run).quiet(true).resume(true).stopAfterEpoch(2).build().run();
        assertThat(Files.readAllBytes(run.resolve("checkpoints/interrupted.safetensors"))).isEqualTo(interrupted);
    }

    @Test
    void aSecondRunIntoALockedFolderIsRefusedAndWritesNothing() throws IOException {
        Path run = tmp.resolve("locked");
        Files.createDirectories(run);
        try (FolderLock held = FolderLock.acquire(run, "vnet segment")) {
            assertThatThrownBy(() -> Trainer.builder(CONFIG, DATA, run).quiet(true).build().run())
                    .isInstanceOf(IOException.class).hasMessageContaining("in use by another command")
                    .hasMessageContaining("vnet segment");
        }
        try (Stream<Path> s = Files.list(run)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(FolderLock.FILE_NAME);
        }
        Trainer.builder(CONFIG, DATA, run).quiet(true).stopAfterEpoch(1).build().run();
        assertThat(run.resolve("checkpoints/last.safetensors")).isRegularFile();
    }

    private interface Crash {
        void leave(Path run) throws IOException;
    }

    // A copy of the run after epoch 1 (config, metrics) with the checkpoints a crash left.
    private Path crashed(String name, Crash crash) throws IOException {
        Path run = tmp.resolve(name);
        copyTree(afterEpoch1, run);
        AtomicFolder.deleteTree(run.resolve("checkpoints"));
        crash.leave(run);
        return run;
    }

    private static void assertResumesFrom(Path run, int epoch) throws IOException {
        Path copy = run.resolveSibling(run.getFileName() + "-probe");
        copyTree(run, copy);
        TrainResult r = Trainer.builder(CONFIG, DATA, copy).quiet(true).resume(true).stopAfterEpoch(epoch).build()
                .run();
        assertThat(r.history()).as(run.getFileName().toString()).hasSize(epoch);
        assertThat(Checkpoint.load(copy.resolve("checkpoints/last.safetensors")).epoch()).isEqualTo(epoch);
    }

    private static void assertSameWeights(Path run, Path reference) throws IOException {
        Map<String, Tensor> a = Checkpoint.load(reference.resolve("checkpoints/last.safetensors")).model().stateDict();
        Map<String, Tensor> b = Checkpoint.load(run.resolve("checkpoints/last.safetensors")).model().stateDict();
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String k : a.keySet()) {
            assertThat(b.get(k).data()).as(run.getFileName() + ": " + k).isEqualTo(a.get(k).data());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
