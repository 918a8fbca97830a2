package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The training run {@link CrashTrials} kills, in a JVM of its own: it loads the classes and the native BLAS, prints
 * {@code ready}, then reads a run folder from stdin and trains {@link CrashTrials#CONFIG} on {@link CrashTrials#DATA}
 * there, resumed if the folder holds a completed epoch, as {@code vnet train} does. Started ahead of time, it pays
 * the JVM start and the BLAS load before the instant of the kill is chosen.
 */
public final class KilledTraining {
    private KilledTraining() {}

    public static void main(String[] args) throws Exception {
        // A forward pass of the model loads the native BLAS and the classes a step needs.
        int[] in = {1, CrashTrials.CONFIG.model().inChannels(), 32, 32};
        new VNet(CrashTrials.CONFIG.model(), 0).forward(Tensor.zeros(in));
        if (CrashTrials.DATA.isEmpty()) {
            throw new IllegalStateException("no data");
        }
        System.out.println("ready");
        System.out.flush();
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            return; // the driver ended without a trial for this process
        }
        Path run = Path.of(line);
        Trainer.builder(CrashTrials.CONFIG, CrashTrials.DATA, run).quiet(true)
                .resume(new RunFolder(run).completedAnEpoch()).build().run();
    }
}
