package dev.vnet.train;

import dev.vnet.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saves the current weights to {@code checkpoints/interrupted.safetensors} when the JVM is interrupted mid-run,
 * labelled with the epoch they are from: the last completed one between epochs (0 before the first step), the
 * one under way once a step of it is taken, its {@code step} saying how far it got. Every trainer of the library
 * ({@link Trainer}, the cell classifier's) saves through it when asked to ({@link RunBuilder#saveOnInterrupt}): it
 * waits on the run's step lock, so the weights it saves are those between two steps, never half updated.
 */
public final class InterruptCheckpoint implements Runnable, AutoCloseable {
    /** The checkpoints that would save and say so if the JVM ended now. */
    private static final Set<InterruptCheckpoint> ARMED = ConcurrentHashMap.newKeySet();

    /** Writes a model's current weights as a checkpoint file. */
    @FunctionalInterface
    public interface Weights {
        /**
         * Writes the weights.
         *
         * @param file  the checkpoint file
         * @param epoch the epoch the weights are from
         * @param step  optimiser steps taken
         * @throws IOException if the file cannot be written
         */
        void save(Path file, int epoch, long step) throws IOException;
    }

    private final Weights weights;
    private final Path file;
    private final Object stepLock;
    private volatile boolean finished;
    private volatile int epoch;
    private volatile long step;
    private volatile boolean midEpoch;
    private Thread hook;

    /**
     * A checkpoint that saves when {@link #run} is called (it is not a shutdown hook yet: see {@link #install}).
     *
     * @param weights        writes the run's model
     * @param file           where the weights go
     * @param stepLock       held by the run while a step changes the weights and while an epoch is saved
     * @param completedEpoch the last completed epoch when the run starts (0 for a new run)
     * @param step           optimiser steps taken by then
     */
    public InterruptCheckpoint(Weights weights, Path file, Object stepLock, int completedEpoch, long step) {
        this.weights = weights;
        this.file = file;
        this.stepLock = stepLock;
        this.epoch = completedEpoch;
        this.step = step;
    }

    /**
     * A checkpoint installed as a shutdown hook until {@link #close}, or, when not {@code enabled}, one that never
     * saves (a library should not hook into its host's shutdown unless asked to).
     *
     * @param enabled        whether to install it
     * @param weights        writes the run's model
     * @param file           where the weights go
     * @param stepLock       held by the run while a step changes the weights and while an epoch is saved
     * @param completedEpoch the last completed epoch when the run starts (0 for a new run)
     * @param step           optimiser steps taken by then
     * @return the checkpoint, to tell of every step and epoch and to close when the run ends
     */
    public static InterruptCheckpoint install(boolean enabled, Weights weights, Path file, Object stepLock,
                                              int completedEpoch, long step) {
        InterruptCheckpoint c = new InterruptCheckpoint(weights, file, stepLock, completedEpoch, step);
        if (!enabled) {
            c.finished = true;
            return c;
        }
        c.hook = new Thread(c, "vnet-interrupt-checkpoint");
        ARMED.add(c);
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /**
     * {@return whether a run in this JVM would save its weights, and print a line saying so, if the JVM ended now}
     * A command line prints its own line on an interrupt only when none does.
     */
    public static boolean armed() {
        return !ARMED.isEmpty();
    }

    /**
     * A step of {@code epoch} is done: the weights are partway through it.
     *
     * @param epoch the epoch under way
     * @param step  optimiser steps taken so far
     */
    public void stepDone(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
        midEpoch = true;
    }

    /**
     * {@code epoch} is complete and saved.
     *
     * @param epoch the epoch
     */
    public void epochDone(int epoch) {
        this.epoch = epoch;
        midEpoch = false;
    }

    /** The run takes no more steps (it evaluates its best epoch, or has ended): an interrupt now saves nothing. */
    public void finish() {
        finished = true;
        ARMED.remove(this);
    }

    /** Saves the weights, unless {@link #finish finished}, and says so on stderr: what the shutdown hook runs. */
    @Override
    public void run() {
        if (finished) {
            return;
        }
        AtomicFiles.permitWritesWhileTheJvmEnds();
        synchronized (stepLock) {
            try {
                weights.save(file, epoch, step);
                System.err.println("interrupted " + (midEpoch ? "during" : "after") + " epoch " + epoch + ", step "
                        + step + ": weights saved to " + file + "; --resume continues from the last completed epoch");
            } catch (IOException | RuntimeException e) {
                System.err.println("interrupted: could not save " + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Finishes and removes the shutdown hook, if one was installed; while the JVM is already ending (the run stopped
     * because an interrupt refused its writes), the hook stays armed instead and saves and says so.
     */
    @Override
    public void close() {
        if (hook == null) {
            finish();
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // An interrupt arrived while the run was saving an epoch: the command line left the line to this hook,
            // which now waits for the step lock. Finishing here would let it return without a word.
            return;
        }
        finish();
    }
}
