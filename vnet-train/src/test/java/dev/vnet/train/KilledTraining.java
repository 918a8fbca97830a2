package dev.vnet.train;

import java.nio.file.Path;

/**
 * The training run {@link CrashSafetyTest} kills: {@link CrashSafetyTest#CONFIG} on {@link CrashSafetyTest#DATA} in
 * the folder {@code args[0]}, resumed if it completed an epoch, as {@code vnet train} does.
 */
public final class KilledTraining {
    private KilledTraining() {}

    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        Trainer.builder(CrashSafetyTest.CONFIG, CrashSafetyTest.DATA, run).quiet(true)
                .resume(new RunFolder(run).completedAnEpoch()).build().run();
    }
}
