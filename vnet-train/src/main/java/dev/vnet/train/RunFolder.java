package dev.vnet.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.optim.Optimizer;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folder of a training run and its layout:
 *
 * <pre>
 * config.json                         the full configuration (reproduces the run with the same seed and threads)
 * checkpoints/best.safetensors        weights of the epoch with the best validation Dice
 * checkpoints/last.safetensors        weights after the last completed epoch
 * checkpoints/last.state.safetensors  the optimiser's state and the history, to resume exactly
 * checkpoints/interrupted.safetensors the weights when the run was interrupted, if it was
 * </pre>
 *
 * and beside them what the run's {@link TrainingListener}s write ({@code metrics.csv}, {@code report.json},
 * {@code report.md}, {@code plots/}, {@code figures/}).
 */
public final class RunFolder {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

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

    /** {@return {@code config.json}} */
    public Path config() {
        return dir.resolve("config.json");
    }

    /**
     * Checks the folder for a new or a resumed run and creates {@code checkpoints/}.
     *
     * @param resume    whether the run continues the one in the folder (which must then have a last checkpoint)
     * @param overwrite whether a new run may start in a non-empty folder
     * @throws TrainingException if the folder is a file, is not empty for a new run, or has no run to resume
     * @throws IOException       if the folder cannot be read or created
     */
    public void prepare(boolean resume, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new TrainingException("run folder " + dir + " is a file");
        }
        if (resume) {
            if (!Files.isRegularFile(last())) {
                throw new TrainingException("cannot resume: " + last() + " does not exist (was a run started in "
                        + dir + "?)");
            }
        } else if (Files.isDirectory(dir) && !overwrite) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new TrainingException("run folder " + dir + " is not empty: use --resume to continue it, "
                            + "--force to start over in it, or another folder");
                }
            }
        }
        Files.createDirectories(checkpoints());
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
     * Saves a completed epoch: the optimiser state with the history, the last weights and, if the epoch is the best
     * so far, the best weights.
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
        // The state goes first: a crash between the two writes leaves a state newer than the weights,
        // which resume detects, never weights without their state.
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(r.epoch()));
        meta.put("step", Long.toString(r.step()));
        meta.put("history", GSON.toJson(history));
        Safetensors.write(lastState(), optimizer.stateDict(), meta);
        Checkpoint.save(last(), model, config, r.epoch(), r.step(), dice);
        if (best) {
            Checkpoint.save(best(), model, config, r.epoch(), r.step(), dice);
        }
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
                    + " but last.state.safetensors from epoch " + stateEpoch + " (a crash between the two writes?)");
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
}
