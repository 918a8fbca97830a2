package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Saves the current weights to {@code checkpoints/interrupted.safetensors} when the JVM is interrupted mid-run,
 * labelled with the epoch they are from: the last completed one between epochs (0 before the first step), the
 * one under way once a step of it is taken, its {@code step} saying how far it got.
 */
final class InterruptCheckpoint implements Runnable {
    private final VNet model;
    private final TrainConfig config;
    private final Path file;
    private final Object stepLock;
    volatile boolean finished;
    private volatile int epoch;
    private volatile long step;
    private volatile boolean midEpoch;

    /**
     * @param completedEpoch the last completed epoch when the run starts (0 for a new run)
     * @param step           optimiser steps taken by then
     */
    InterruptCheckpoint(VNet model, TrainConfig config, Path file, Object stepLock, int completedEpoch, long step) {
        this.model = model;
        this.config = config;
        this.file = file;
        this.stepLock = stepLock;
        this.epoch = completedEpoch;
        this.step = step;
    }

    /** A step of {@code epoch} is done: the weights are partway through it. */
    void stepDone(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
        midEpoch = true;
    }

    /** {@code epoch} is complete and saved. */
    void epochDone(int epoch) {
        this.epoch = epoch;
        midEpoch = false;
    }

    @Override
    public void run() {
        if (finished) {
            return;
        }
        AtomicFiles.permitWritesWhileTheJvmEnds();
        synchronized (stepLock) {
            try {
                Checkpoint.save(file, model, config, epoch, step, Double.NaN);
                System.err.println("interrupted " + (midEpoch ? "during" : "after") + " epoch " + epoch + ", step "
                        + step + ": weights saved to " + file + "; --resume continues from the last completed epoch");
            } catch (IOException | RuntimeException e) {
                System.err.println("interrupted: could not save " + file + ": " + e.getMessage());
            }
        }
    }
}
