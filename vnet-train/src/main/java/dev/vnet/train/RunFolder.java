package dev.vnet.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.optim.Optimizer;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.AtomicFolder;
import dev.vnet.io.DataFingerprint;
import dev.vnet.io.FolderLock;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.parallel.WorkerPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folder of a training run and its layout:
 *
 * <pre>
 * config.json                         the full configuration (reproduces the run with the same seed and threads)
 * data.sha256                         the data the run is made from: each file's SHA-256, size and name
 * checkpoints/best.safetensors        weights of the epoch with the best validation Dice
 * checkpoints/last.safetensors        weights after the last completed epoch
 * checkpoints/last.state.safetensors  the optimiser's state and the history, to resume exactly
 * checkpoints/interrupted.safetensors the weights when the run was interrupted, if it was
 * </pre>
 *
 * and beside them what the run's {@link TrainingListener}s write ({@code metrics.csv}, {@code report.json},
 * {@code report.md}, {@code plots/}, {@code figures/}).
 *
 * <p>{@code checkpoints/} is one {@link AtomicFolder} unit, replaced whole at the end of every epoch: the weights,
 * the optimiser state, the history and the best weights become durable together, so a crash at any instant leaves
 * the previous epoch or the new one, never a mix, and {@code best.safetensors} and {@code last.safetensors} keep
 * their paths for {@code segment --model} and {@link Checkpoint#load}. (One file holding weights and optimiser state
 * would also be atomic, but it would no longer be a plain state dict that PyTorch loads, and the best weights would
 * still be a second write.) A run holds the folder's {@link FolderLock} ({@link #lock}); on the next start, under the
 * lock, {@link #prepare} settles what a crash left ({@link AtomicFiles#removeLeftovers}).
 */
public final class RunFolder {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /**
     * {@return whether the run in the folder completed an epoch, after settling what a crash left} Locks the folder
     * while it looks.
     *
     * @throws IOException naming the holder if another command holds the folder's lock, or if it cannot be read
     */
    public boolean completedAnEpoch() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (FolderLock held = lock()) {
            settle();
            return Files.isRegularFile(last());
        }
    }

    // Finishes or undoes the writes a crash interrupted: the checkpoints are those of the last epoch saved whole.
    private void settle() throws IOException {
        if (Files.isDirectory(dir)) {
            AtomicFiles.removeLeftovers(dir);
            AtomicFolder.recover(checkpoints());
            if (Files.isDirectory(checkpoints())) {
                AtomicFiles.removeLeftovers(checkpoints());
            }
        }
    }

    /**
     * Records the data a new run is made from in {@code data.sha256}, or checks that a resumed run goes on with the
     * data it was made from (a run folder from before the record was kept gets one).
     *
     * @param now     the fingerprint of the data given now
     * @param resumed whether the run is resumed
     * @throws TrainingException naming the first difference if a resumed run was made from other data
     * @throws IOException       if the record cannot be read or written
     */
    public void recordData(DataFingerprint now, boolean resumed) throws IOException {
        if (resumed && Files.isRegularFile(data())) {
            DataFingerprint was = DataFingerprint.parse(Files.readString(data(), StandardCharsets.UTF_8),
                    data().toString());
            var difference = was.firstDifference(now);
            if (difference.isPresent()) {
                throw new TrainingException("cannot resume " + dir + " with these data: " + difference.get()
                        + "; resume with the data the run was made from (listed in " + data()
                        + "), or start a new run in another folder");
            }
            return;
        }
        AtomicFiles.writeString(data(), now.toText());
    }

    /** The files a run writes at the top of its folder, deleted when a new run starts over in it. */
    private static final List<String> RUN_FILES = List.of("config.json", "data.sha256", "checkpoints", "metrics.csv",
            "report.json", "report.md", "plots", "figures", Trainer.SPLIT, "detection.json", "detection_images.csv",
            "detection_pr.csv", "predictions.csv", "mistakes.png");

    private final Path dir;

    /**
     * The run folder at {@code dir} (nothing is read or written yet).
     *
     * @param dir the folder
     */
    public RunFolder(Path dir) {
        this.dir = dir;
    }

    /** {@return the folder} */
    public Path dir() {
        return dir;
    }

    /** {@return {@code checkpoints/}} */
    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** {@return the weights of the best epoch, {@code checkpoints/best.safetensors}} */
    public Path best() {
        return checkpoints().resolve("best.safetensors");
    }

    /** {@return the weights of the last completed epoch, {@code checkpoints/last.safetensors}} */
    public Path last() {
        return checkpoints().resolve("last.safetensors");
    }

    /** {@return the optimiser state and history of the last completed epoch} */
    public Path lastState() {
        return checkpoints().resolve("last.state.safetensors");
    }

    /** {@return where an interrupt saves the weights} */
    public Path interrupted() {
        return checkpoints().resolve("interrupted.safetensors");
    }

    /** {@return {@code data.sha256}, the fingerprint of the data the run is made from} */
    public Path data() {
        return dir.resolve("data.sha256");
    }

    /** {@return {@code config.json}} */
    public Path config() {
        return dir.resolve("config.json");
    }

    /**
     * Creates the folder if needed and locks it for this run: a second run or command writing into it is refused
     * until the lock is closed.
     *
     * @return the lock, to close when the run ends
     * @throws TrainingException if the folder is a file
     * @throws IOException       naming the holder if another command holds the lock, or if the folder cannot be created
     */
    public FolderLock lock() throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new TrainingException("run folder " + dir + " is a file");
        }
        Files.createDirectories(dir);
        return FolderLock.acquire(dir, "vnet train");
    }

    /**
     * Checks the folder for a new or a resumed run and creates {@code checkpoints/}; call it while holding
     * {@link #lock}. What a crash left half-written is settled first: the checkpoints are those of the last epoch
     * that was saved whole. A folder holding a run that never completed an epoch may be started over without
     * {@code overwrite}: nothing in it is worth keeping.
     *
     * @param resume    whether the run continues the one in the folder (which must then have a completed epoch)
     * @param overwrite whether a new run may start in a non-empty folder; the files of an earlier run are then
     *                  deleted ({@link #clear})
     * @throws TrainingException if the folder is a file, is not empty for a new run, or has no run to resume
     * @throws IOException       if the folder cannot be read or created
     */
    public void prepare(boolean resume, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new TrainingException("run folder " + dir + " is a file");
        }
        settle();
        boolean epochDone = Files.isRegularFile(last());
        // Killed before its first epoch was saved, a run leaves only some of its own files: nothing worth keeping.
        boolean unfinished = !epochDone && Files.isDirectory(dir) && !isEmpty() && holdsOnlyRunFiles();
        if (resume) {
            if (unfinished) {
                throw new TrainingException("cannot resume " + dir + ": its run never completed an epoch; run the same "
                        + "command without --resume to start it over");
            }
            if (!epochDone) {
                throw new TrainingException("cannot resume: " + last() + " does not exist (was a run started in "
                        + dir + "?)");
            }
        } else if (Files.isDirectory(dir)) {
            if (overwrite || unfinished) {
                clear();
            } else if (!isEmpty()) {
                throw new TrainingException("run folder " + dir + " is not empty: use --resume to continue it, "
                        + "--force to start over in it, or another folder");
            }
        }
        Files.createDirectories(checkpoints());
    }

    /**
     * Deletes what a run wrote in the folder ({@code config.json}, {@code data.sha256}, {@code checkpoints/} with
     * {@code interrupted.safetensors}, {@code metrics.csv}, {@code split.json}, the reports and a point detector's
     * {@code detection*} files, {@code plots/}, {@code figures/}); other
     * files are left alone.
     *
     * @throws IOException if a file cannot be deleted
     */
    public void clear() throws IOException {
        for (String name : RUN_FILES) {
            AtomicFolder.deleteTree(dir.resolve(name));
        }
    }

    // Nothing but what a run writes at the top of its folder, and the lock file.
    private boolean holdsOnlyRunFiles() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals(FolderLock.FILE_NAME) || RUN_FILES.contains(n));
        }
    }

    // Empty but for the lock file, which stays in a folder once locked.
    private boolean isEmpty() throws IOException {
        try (var s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(FolderLock.FILE_NAME));
        }
    }

    /**
     * Writes {@code config.json}.
     *
     * @param config the run's configuration
     * @throws IOException if the file cannot be written
     */
    public void writeConfig(TrainConfig config) throws IOException {
        AtomicFiles.write(config(), config.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Saves a completed epoch as one unit: the last weights, the optimiser state with the history and, if the epoch
     * is the best so far, the best weights replace {@code checkpoints/} together.
     *
     * @param model     the network after the epoch
     * @param optimizer its optimiser
     * @param config    the run's configuration
     * @param history   every epoch's record, this one last
     * @param best      whether this epoch has the best validation Dice so far
     * @throws IOException if a file cannot be written
     */
    public void saveEpoch(VNet model, Optimizer optimizer, TrainConfig config, List<EpochRecord> history, boolean best)
            throws IOException {
        EpochRecord r = history.get(history.size() - 1);
        double dice = r.validation().dice();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(r.epoch()));
        meta.put("step", Long.toString(r.step()));
        meta.put("history", GSON.toJson(history));
        Map<String, AtomicFiles.ContentWriter> unit = new LinkedHashMap<>();
        unit.put(last().getFileName().toString(), out -> Checkpoint.writeTo(out, model, config, r.epoch(), r.step(), dice));
        unit.put(lastState().getFileName().toString(), out -> Safetensors.writeTo(out, optimizer.stateDict(), meta));
        if (best) {
            unit.put(best().getFileName().toString(), out -> Checkpoint.writeTo(out, model, config, r.epoch(), r.step(), dice));
        }
        saveCheckpoints(unit);
    }

    /**
     * Replaces {@code checkpoints/} as one unit with {@code files} (by file name) and the files of the folder they do
     * not replace (the best weights of an earlier epoch, {@code interrupted.safetensors}): how {@link #saveEpoch} saves
     * a V-Net's epoch, and how a trainer of another network saves its own.
     *
     * @param files the files' writers by file name, for example {@code last.safetensors}
     * @throws IOException if a file cannot be written
     */
    public void saveCheckpoints(Map<String, AtomicFiles.ContentWriter> files) throws IOException {
        Map<String, AtomicFiles.ContentWriter> unit = new LinkedHashMap<>(files);
        for (Path kept : keptFiles(unit.keySet())) {
            unit.put(kept.getFileName().toString(), out -> Files.copy(kept, out));
        }
        AtomicFolder.write(checkpoints(), unit);
    }

    private List<Path> keptFiles(java.util.Set<String> replaced) throws IOException {
        List<Path> kept = new ArrayList<>();
        if (!Files.isDirectory(checkpoints())) {
            return kept;
        }
        try (var s = Files.list(checkpoints())) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!replaced.contains(name) && !name.startsWith(".") && Files.isRegularFile(p)) {
                    kept.add(p);
                }
            }
        }
        return kept;
    }

    /**
     * Where a resumed run continues from.
     *
     * @param epoch   the last completed epoch
     * @param step    optimiser steps taken by then
     * @param history every completed epoch's record
     */
    public record Saved(int epoch, long step, List<EpochRecord> history) {}

    /**
     * Loads the last completed epoch into {@code model} and {@code optimizer}.
     *
     * @param model     the network to load the weights into
     * @param optimizer its optimiser, to load the state into
     * @param config    the configuration of the run to continue, which must be the saved one
     * @return the epoch, step and history saved
     * @throws TrainingException if the saved run has another configuration, or its files do not belong together
     * @throws IOException       if a file cannot be read
     */
    public Saved resume(VNet model, Optimizer optimizer, TrainConfig config) throws IOException {
        if (Files.exists(checkpoints().resolve(AtomicFolder.MANIFEST))) {
            try {
                AtomicFolder.requireComplete(checkpoints());
            } catch (IOException e) {
                throw new TrainingException("cannot resume " + dir + ": " + e.getMessage());
            }
        }
        Checkpoint last = Checkpoint.load(last());
        // A point detector's checkpoint holds the thresholds chosen on validation: the run is the same without them.
        if (!last.config().sameRun(config)) {
            throw new TrainingException("cannot resume " + dir + ": its configuration differs from this one; "
                    + "resume with the same options (saved in " + config() + ")");
        }
        SafetensorsFile state = Safetensors.read(lastState());
        int stateEpoch = Integer.parseInt(state.metadata().getOrDefault("epoch", "-1"));
        if (stateEpoch != last.epoch()) {
            throw new TrainingException("cannot resume " + dir + ": last.safetensors is from epoch " + last.epoch()
                    + " but last.state.safetensors from epoch " + stateEpoch + " (files of two epochs mixed by hand?); "
                    + "use --force to start over");
        }
        model.loadStateDict(last.model().stateDict());
        optimizer.loadStateDict(state.tensors());
        List<EpochRecord> history;
        try {
            history = GSON.fromJson(state.metadata().get("history"), new TypeToken<List<EpochRecord>>() {}.getType());
        } catch (JsonParseException e) {
            throw new TrainingException("cannot resume " + dir + ": the saved history is unreadable: " + e.getMessage());
        }
        return new Saved(last.epoch(), last.step(), history == null ? List.of() : history);
    }

    /**
     * A run's work in its folder.
     *
     * @param <T> what it gives
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @return its result
         * @throws IOException if a file cannot be read or written
         */
        T run() throws IOException;
    }

    /**
     * Runs {@code work} while holding this folder's {@link #lock}, on a worker pool of its own: another run in this
     * JVM keeps its thread count, and so its bits.
     *
     * @param threads the engine threads of the run
     * @param work    the run
     * @param <T>     what it gives
     * @return its result
     * @throws IOException if the work or the lock fails
     */
    public <T> T runLocked(int threads, Work<T> work) throws IOException {
        try (WorkerPool pool = WorkerPool.of(threads); FolderLock lock = lock()) {
            return pool.call(() -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
