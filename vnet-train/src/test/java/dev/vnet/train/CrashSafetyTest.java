package dev.vnet.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training killed with SIGKILL (no shutdown hook runs) in another JVM, at the instants that matter most: while the
 * epoch's new checkpoint folder is written, between its renames, and at a random instant. Every run resumes and ends
 * with the weights of an uninterrupted run. ({@code tools/crash-safety.sh} runs a hundred such trials through the
 * command line.)
 */
class CrashSafetyTest {
    static final List<Sample> DATA = TinyData.samples(8, 96, 64, 5);
    static final TrainConfig CONFIG = TinyData.config().toBuilder().epochs(3).build();

    @TempDir
    Path tmp;

    @Test
    void killedAtAnyInstantEveryRunResumesToTheWeightsOfAnUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight");
        Trainer.builder(CONFIG, DATA, straight).quiet(true).build().run();
        Map<String, Predicate<Path>> killWhen = Map.of(
                "new folder written", run -> Files.exists(run.resolve(".checkpoints.new.tmp")),
                "old folder moved away", run -> Files.exists(run.resolve(".checkpoints.old.tmp")),
                "random instant", run -> false);
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        for (Map.Entry<String, Predicate<Path>> trial : killWhen.entrySet()) {
            Path run = tmp.resolve(trial.getKey().replace(' ', '-'));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500 + random.nextInt(3000));
            Process p = start(run);
            while (p.isAlive() && !trial.getValue().test(run) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Trainer.builder(CONFIG, DATA, run).quiet(true).resume(new RunFolder(run).completedAnEpoch()).build().run();
            String as = trial.getKey() + " (seed " + seed + ")";
            assertSameWeights(run, straight, as);
            try (Stream<Path> s = Files.walk(run)) {
                assertThat(s.map(f -> f.getFileName().toString())).as(as).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }

    private static Process start(Path run) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xmx512m", "-cp", classPath, KilledTraining.class.getName(), run.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void assertSameWeights(Path run, Path reference, String as) throws IOException {
        Map<String, Tensor> a = Checkpoint.load(reference.resolve("checkpoints/last.safetensors")).model().stateDict();
        Map<String, Tensor> b = Checkpoint.load(run.resolve("checkpoints/last.safetensors")).model().stateDict();
        for (String k : a.keySet()) {
            assertThat(b.get(k).data()).as(as + ": " + k).isEqualTo(a.get(k).data());
        }
    }
}
