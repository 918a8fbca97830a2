package dev.vnet.cli;

import dev.vnet.core.kernels.Kernels;
import dev.vnet.io.DataFingerprint;
import dev.vnet.io.Limits;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.RunBuilder;
import dev.vnet.train.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options several commands share, as picocli mixins: one name, one meaning and one description each. */
final class CommonOptions {
    /** The most images per batch an option may ask for (the memory they need is checked against the heap too). */
    static final int MAX_BATCH = 1 << 16;
    /**
     * The memory the inference-only commands (segment, serve, eval, bench's photograph) let the Winograd weight
     * transforms keep between passes, in megabytes ({@code Kernels.keepWeightTransforms}): the V-Net's take 121 MB.
     */
    static final long INFERENCE_KEEP_MB = 256;

    /**
     * Called by a command whose process only infers from here on: the Winograd weight transforms are kept between
     * forward passes (a training process keeps none, so that validation does not add to its peak memory).
     */
    static void inferenceOnly() {
        Kernels.keepWeightTransforms(INFERENCE_KEEP_MB);
    }

    private CommonOptions() {}

    /** Refuses a square input side ({@code --size}) out of the model's range: exit code 2. */
    static int size(String option, int value) {
        return UserError.BadValue.checked(() -> Limits.range(option, value, 16, Checkpoint.MAX_INPUT_SIDE));
    }

    /** Refuses a batch size ({@code --batch}) out of range: exit code 2. */
    static int batch(String option, int value) {
        return UserError.BadValue.checked(() -> Limits.range(option, value, 1, MAX_BATCH));
    }

    /** {@code --out FOLDER}, required. */
    static final class Out {
        @Option(names = "--out", required = true, paramLabel = "FOLDER",
                description = "Output folder (new or empty unless --force).")
        Path folder;
    }

    /** {@code --force}. */
    static final class Force {
        @Option(names = "--force", description = "Write over what is there: a non-empty output folder, existing output files.")
        boolean allowed;
    }

    /** {@code --threads N}, unset by default (the command says what it uses then). */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N",
                description = "Engine threads (default: the configuration's, else the processor count); the same count "
                        + "gives the same numbers; at most " + Limits.THREADS_PER_PROCESSOR + " per processor).")
        Integer count;

        /** {@return the count asked for, checked against this machine's processors; null if none was} */
        Integer checked() {
            return count == null ? null : UserError.BadValue.checked(() -> Limits.threads("--threads", count));
        }
    }

    /** {@code --time-limit MINUTES}: the wall-clock budget of a training run. */
    static final class TimeLimit {
        @Option(names = "--time-limit", paramLabel = "MINUTES", description = "Minutes the training may take: no epoch "
                + "is started that would not end within them, and the run ends complete (best epoch evaluated, reports "
                + "written) with the epochs done; --resume continues it. 0 = none. Default: none, but "
                + TrainCommand.RECOMMENDED_MINUTES + " for train --preset recommended without --epochs, so that it "
                + "ends within half an hour on a slower CPU too.")
        Integer minutes;

        /** {@return the budget asked for, {@code otherwise} if none was; null for no limit} */
        Duration budget(Duration otherwise) {
            if (minutes == null) {
                return otherwise;
            }
            int m = UserError.BadValue.checked(() -> Limits.range("--time-limit", minutes, 0, 1_000_000));
            return m == 0 ? null : Duration.ofMinutes(m);
        }
    }

    /** {@code -q}, {@code --quiet}. */
    static final class Quiet {
        @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines.")
        boolean on;
    }

    /**
     * The options of a command that trains into a run folder ({@code train}, {@code classify train}): {@code --out},
     * {@code --resume}, {@code --force}, {@code -q} and {@code --time-limit}, and how they set up a trainer.
     */
    static final class Run {
        @Mixin
        Out out;

        @Option(names = "--resume", description = "Continue the run in --out from its last completed epoch, with its "
                + "saved configuration.")
        boolean resume;

        @Mixin
        Force force;

        @Mixin
        Quiet quiet;

        @Mixin
        TimeLimit timeLimit;

        /**
         * {@return the configuration saved in the run folder's {@code config.json}, which {@code --resume} goes on
         * with; a one-line error if it is missing or unreadable}
         *
         * @param parse reads the JSON, throwing {@link IllegalArgumentException} if it is not a configuration
         * @param hint  added to the error of an unreadable configuration: what to do
         */
        <T> T savedConfig(Function<String, T> parse, String hint) throws IOException {
            Path file = new RunFolder(out.folder).config();
            if (!Files.isRegularFile(file)) {
                throw new UserError("cannot resume: " + file + " does not exist (no run was started in " + out.folder
                        + "; start one without --resume)");
            }
            try {
                return parse.apply(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new UserError(file + ": " + e.getMessage() + hint);
            }
        }

        /**
         * {@return {@code trainer} set up as these options say: saving its weights on an interrupt, quiet or not,
         * resuming (unless the run in the folder never completed an epoch: it then starts over with its saved
         * configuration, as stderr says), overwriting with {@code --force}, recording the data, within the time limit}
         *
         * @param trainer       the trainer's builder
         * @param data          the fingerprint of the data trained on
         * @param defaultBudget the time budget without {@code --time-limit}, or null for none
         */
        <B extends RunBuilder<B>> B setUp(B trainer, DataFingerprint data, Duration defaultBudget) throws IOException {
            boolean resuming = resume;
            if (resume && !new RunFolder(out.folder).completedAnEpoch()) {
                // Nothing of it is worth keeping: the run starts over with its saved configuration.
                System.err.println("the run in " + out.folder + " never completed an epoch: starting it over with its "
                        + "saved configuration");
                resuming = false;
            }
            return Interrupts.savingWeights(trainer).quiet(quiet.on).resume(resuming).overwrite(force.allowed)
                    .data(data).timeBudget(timeLimit.budget(defaultBudget));
        }
    }
}
