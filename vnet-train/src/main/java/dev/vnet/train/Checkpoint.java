package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model on disk: a safetensors file whose tensors are the V-Net's state dict (MONAI's names,
 * loadable by PyTorch's {@code safetensors}) and whose {@code __metadata__} holds the full training
 * configuration ({@code vnet.config}: model, preprocessing, evaluation), the epoch and step reached,
 * the seed and the validation Dice. The optimiser state and the per-epoch history needed to resume a
 * run live in a sibling file, {@code <name>.state.safetensors} (see {@link Trainer}).
 *
 * @param model  the network, in evaluation mode
 * @param config the configuration it was trained with
 * @param epoch  the last completed epoch
 * @param step   optimiser steps taken
 */
public record Checkpoint(VNet model, TrainConfig config, int epoch, long step) {

    /** Metadata key of the training configuration (JSON). */
    public static final String CONFIG_KEY = "vnet.config";

    /**
     * Writes {@code model} and its metadata to {@code file} atomically.
     *
     * @param file           the file to write
     * @param model          the network
     * @param config         its training configuration
     * @param epoch          the last completed epoch
     * @param step           optimiser steps taken
     * @param validationDice the validation Dice at that epoch, or NaN
     * @throws IOException if a file cannot be read or written
     */
    public static void save(Path file, VNet model, TrainConfig config, int epoch, long step, double validationDice)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vnet-checkpoint-1");
        meta.put(CONFIG_KEY, config.toJson());
        meta.put("vnet.model", model.config().toString());
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("seed", Long.toString(config.seed()));
        meta.put("threads", Integer.toString(config.threads()));
        meta.put("val_dice", Double.toString(validationDice));
        Safetensors.write(file, model.stateDict(), meta);
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @param file the {@code .safetensors} file
     * @return the model, in evaluation mode, with its configuration
     * @throws IOException if the file cannot be read, is not a V-Net checkpoint, or its tensors do not fit
     *                     the model its configuration describes
     */
    public static Checkpoint load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        String json = f.metadata().get(CONFIG_KEY);
        if (json == null) {
            throw new IOException(file + " is a safetensors file but not a vnet checkpoint (no '" + CONFIG_KEY
                    + "' in its metadata)");
        }
        TrainConfig config;
        try {
            config = TrainConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        VNet model = new VNet(config.model(), config.seed());
        try {
            model.loadStateDict(f.tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the weights do not fit " + config.model() + ": " + e.getMessage(), e);
        }
        model.eval();
        return new Checkpoint(model, config, parseInt(f, "epoch"), parseLong(f, "step"));
    }

    private static int parseInt(SafetensorsFile f, String key) throws IOException {
        return (int) parseLong(f, key);
    }

    private static long parseLong(SafetensorsFile f, String key) throws IOException {
        String v = f.metadata().get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException(f.source() + ": metadata '" + key + "' should be a whole number, got '" + v + "'");
        }
    }

}
