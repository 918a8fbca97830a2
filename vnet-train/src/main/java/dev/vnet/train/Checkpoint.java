package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
 * @param epoch  the last completed epoch (in {@code interrupted.safetensors}, the epoch under way when a run was
 *               interrupted partway through one)
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
        checkModelFitsTensors(f, config.model());
        VNet model = new VNet(config.model(), config.seed());
        try {
            model.loadStateDict(f.tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the weights do not fit " + config.model() + ": " + e.getMessage(), e);
        }
        model.eval();
        return new Checkpoint(model, config, parseInt(f, "epoch"), parseLong(f, "step"));
    }

    /**
     * Refuses a model configuration whose convolutions (nearly all of its values) do not have the shapes of the
     * file's tensors, before the model is built: the file's own size, not what its metadata claims, bounds what
     * loading it allocates. Names the field of {@code vnet.config} that is wrong where it can tell.
     */
    private static void checkModelFitsTensors(SafetensorsFile f, VNetConfig m) throws IOException {
        String first = "in_tr.conv_block.conv.weight";
        int[] input = shapeOf(f, first);
        if (input == null || input.length != 4) {
            throw new IOException(f.source() + ": the weights are not a V-Net's: " + (input == null ? "no tensor '"
                    + first + "'" : "'" + first + "' has shape " + Arrays.toString(input) + ", expected 4 dimensions"));
        }
        // The input convolution is [baseWidth, inChannels, 5, 5]: once these match, the file bounds every width.
        if (input[0] != m.baseWidth()) {
            throw misfit(f, "model.baseWidth", m.baseWidth(), first, input);
        }
        if (input[1] != m.inChannels()) {
            throw misfit(f, "model.inChannels", m.inChannels(), first, input);
        }
        long convs = 0;
        for (int i = 0; i < 4; i++) {
            convs += (long) m.downConvs()[i] + m.upConvs()[i];
        }
        if (convs > f.tensors().size()) {
            throw new IOException(f.source() + ": metadata '" + CONFIG_KEY + "' fields model.downConvs = "
                    + Arrays.toString(m.downConvs()) + " and model.upConvs = " + Arrays.toString(m.upConvs()) + " ask for "
                    + convs + " convolutions but the file holds only " + f.tensors().size() + " tensors");
        }
        for (Map.Entry<String, int[]> e : VNet.convWeightShapes(m).entrySet()) {
            String name = e.getKey();
            int[] shape = shapeOf(f, name);
            if (Arrays.equals(shape, e.getValue())) {
                continue;
            }
            String field = name.contains(".ops.") ? (name.startsWith("down_") ? "model.downConvs" : "model.upConvs")
                    : name.startsWith("out_tr.") ? "model.outChannels" : "model";
            Object value = switch (field) {
                case "model.downConvs" -> Arrays.toString(m.downConvs());
                case "model.upConvs" -> Arrays.toString(m.upConvs());
                case "model.outChannels" -> m.outChannels();
                default -> m;
            };
            throw new IOException(f.source() + ": metadata '" + CONFIG_KEY + "' field " + field + " = " + value
                    + " does not fit the weights: " + (shape == null ? "no tensor '" + name + "'"
                    : "'" + name + "' has shape " + Arrays.toString(shape)) + ", expected " + Arrays.toString(e.getValue()));
        }
    }

    private static int[] shapeOf(SafetensorsFile f, String name) {
        Tensor t = f.tensors().get(name);
        return t == null ? null : t.shape();
    }

    private static IOException misfit(SafetensorsFile f, String field, int value, String tensor, int[] shape) {
        return new IOException(f.source() + ": metadata '" + CONFIG_KEY + "' field " + field + " = " + value
                + " does not fit the weights: '" + tensor + "' has shape " + Arrays.toString(shape));
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
