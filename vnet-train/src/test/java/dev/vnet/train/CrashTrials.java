package dev.vnet.train;

import dev.vnet.io.data.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Trials of crash safety: training in another JVM killed with SIGKILL (no shutdown hook runs), then resumed to its end;
 * every run must end with the bytes of {@code checkpoints/last.safetensors} of an uninterrupted run and no temporary
 * file. A trial kills a run at a random instant, or at the first moment after a random instant that an epoch's new
 * checkpoint folder is being written or the old one has been moved away (the renames of the epoch's unit); every second
 * trial kills the first resume too. The JVMs are started one trial ahead, so that a trial pays neither the JVM start
 * nor the load of the native BLAS, and the last resume runs in this JVM.
 */
final class CrashTrials {
    /** Six smears of 96×64 and the tiny mask model of {@link TinyData#config()}: three epochs of two steps. */
    static final List<Sample> DATA = TinyData.samples(6, 96, 64, 5);
    static final TrainConfig CONFIG = TinyData.config().toBuilder().epochs(3).build();

    /** When a run is killed, after a random delay. */
    enum Kill {
        AT_RANDOM(run -> true),
        NEW_FOLDER_WRITTEN(run -> Files.exists(run.resolve(".checkpoints.new.tmp"))),
        OLD_FOLDER_MOVED(run -> Files.exists(run.resolve(".checkpoints.old.tmp")));

        final Predicate<Path> now;

        Kill(Predicate<Path> now) {
            this.now = now;
        }
    }

    /**
     * @param trials      trials run
     * @param failures    one line per failed trial
     * @param spanSeconds wall time of an uninterrupted run in a started JVM, over which the kills are spread
     * @param seconds     wall time of all trials, the uninterrupted run's included
     */
    record Outcome(int trials, List<String> failures, double spanSeconds, double seconds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d of %d trials resumed to the uninterrupted run's weights in "
                    + "%.0f s (%.2f s a trial; an uninterrupted run takes %.2f s)", trials - failures.size(), trials,
                    seconds, seconds / Math.max(1, trials), spanSeconds);
        }
    }

    private CrashTrials() {}

    /**
     * Runs {@code trials} trials in {@code work}, with kill instants drawn from {@code seed}.
     *
     * @return what happened
     */
    static Outcome run(int trials, Path work, long seed) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Random random = new Random(seed);
        double span;
        List<String> failures = new ArrayList<>();
        // Two JVMs ahead: a trial that kills its first resume too takes two.
        Deque<Child> ready = new ArrayDeque<>();
        ready.add(new Child());
        ready.add(new Child());
        try {
            Path reference = work.resolve("straight");
            Child straight = next(ready);
            long go = straight.go(reference);
            if (straight.process.waitFor() != 0) {
                throw new IOException("the uninterrupted run failed with exit code " + straight.process.exitValue());
            }
            span = (System.nanoTime() - go) / 1e9;
            byte[] expected = Files.readAllBytes(new RunFolder(reference).last());
            for (int i = 1; i <= trials; i++) {
                Kill kill = Kill.values()[i % Kill.values().length];
                Path run = work.resolve("trial-" + i);
                StringBuilder what = new StringBuilder("trial " + i + " (seed " + seed + "):");
                for (int killed = 0; killed < (i % 2 == 0 ? 2 : 1); killed++) {
                    what.append(' ').append(next(ready).killAfter(run, kill, random.nextDouble() * span, span));
                }
                String failure = finish(run, expected);
                if (failure != null) {
                    failures.add(what + " " + failure);
                } else {
                    deleteTree(run);
                }
            }
        } finally {
            ready.forEach(c -> c.process.destroyForcibly());
        }
        return new Outcome(trials, failures, span, (System.nanoTime() - start) / 1e9);
    }

    /** The next JVM started ahead, a new one taking its place. */
    private static Child next(Deque<Child> ready) throws IOException {
        Child c = ready.poll();
        ready.add(new Child());
        return c;
    }

    /** Resumes {@code run} in this JVM if it has not ended; null if it ends with the expected weights, else why not. */
    private static String finish(Path run, byte[] expected) {
        try {
            if (!Files.exists(run.resolve("report.json"))) {
                Trainer.builder(CONFIG, DATA, run).quiet(true).resume(new RunFolder(run).completedAnEpoch()).build()
                        .run();
            }
            if (!Arrays.equals(Files.readAllBytes(new RunFolder(run).last()), expected)) {
                return "final weights differ from the uninterrupted run's";
            }
            try (Stream<Path> s = Files.walk(run)) {
                List<Path> left = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
                return left.isEmpty() ? null : "temporary files left: " + left;
            }
        } catch (IOException | RuntimeException e) {
            return "the resume failed: " + e;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A JVM running {@link KilledTraining}, started ahead of its trial. */
    private static final class Child {
        final Process process;

        Child() throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            // C1 only and the serial collector: a short run starts sooner and uses fewer threads.
            process = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, KilledTraining.class.getName())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }

        /** Waits until the JVM is ready, then starts training in {@code run}; returns the instant it started. */
        long go(Path run) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (!"ready".equals(line)) {
                throw new IOException("the training JVM ended before it was ready (exit " + exitCode() + ")");
            }
            long go = System.nanoTime();
            OutputStream out = process.getOutputStream();
            out.write((run.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
            out.close();
            return go;
        }

        /** Trains in {@code run} and kills it {@code delay} seconds later, at the first instant {@code kill} holds. */
        String killAfter(Path run, Kill kill, double delay, double span) throws IOException, InterruptedException {
            long go = go(run);
            long at = go + (long) (delay * 1e9);
            long deadline = at + (long) (span * 1e9);
            while (process.isAlive() && (System.nanoTime() < at || !kill.now.test(run))
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
            boolean alive = process.isAlive();
            double when = (System.nanoTime() - go) / 1e9;
            process.destroyForcibly();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("a killed training JVM did not end");
            }
            return alive ? String.format(java.util.Locale.ROOT, "killed %s at %.3f s;", kill, when)
                    : "ended before the kill (exit " + process.exitValue() + ");";
        }

        private String exitCode() {
            try {
                return process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "none";
            }
        }
    }
}
