package dev.vnet.train.classify;

import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained cell classifier on disk: a safetensors file whose tensors are the network's state dict (torchvision's
 * ResNet names) and whose metadata holds its configuration ({@value #CONFIG_KEY}), the epoch and the step.
 *
 * @param model the network, in evaluation mode
 * @param epoch the epoch its weights are from
 * @param step  optimiser steps taken by then
 */
public record ClassifierCheckpoint(CellClassifier model, int epoch, long step) {
    /** Metadata key of the classifier's configuration (JSON). */
    public static final String CONFIG_KEY = "vnet.classifier.config";

    /** The value of the {@code format} metadata key. */
    public static final String FORMAT = "vnet-classifier-1";

    /**
     * Writes a checkpoint to {@code out}.
     *
     * @param out   the stream (not closed)
     * @param model the network
     * @param epoch the epoch its weights are from
     * @param step  optimiser steps taken
     * @throws IOException if the stream fails
     */
    public static void writeTo(OutputStream out, CellClassifier model, int epoch, long step) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put(CONFIG_KEY, model.config().toJson());
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Long.toString(step));
        Safetensors.writeTo(out, model.stateDict(), meta);
    }

    /**
     * Reads a checkpoint {@link #writeTo} wrote.
     *
     * @param file the {@code .safetensors} file
     * @return the network in evaluation mode, with its epoch and step
     * @throws IOException if the file cannot be read, is not a classifier checkpoint, or its tensors do not fit the
     *                     network its configuration describes
     */
    public static ClassifierCheckpoint load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        String json = f.metadata().get(CONFIG_KEY);
        if (json == null) {
            throw new IOException(file + " is not a cell classifier checkpoint (no '" + CONFIG_KEY + "' in its metadata"
                    + (f.metadata().containsKey("vnet.config") ? "; it is a V-Net checkpoint: use it with --model" : "")
                    + ")");
        }
        ClassifierConfig config;
        try {
            config = ClassifierConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        CellClassifier model = new CellClassifier(config, 0);
        Map<String, Tensor> tensors = f.tensors();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            for (float v : e.getValue().data()) {
                if (!Float.isFinite(v)) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' holds " + v + ", expected finite weights");
                }
            }
        }
        try {
            model.loadStateDict(tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        model.eval();
        return new ClassifierCheckpoint(model, Integer.parseInt(f.metadata().getOrDefault("epoch", "0")),
                Long.parseLong(f.metadata().getOrDefault("step", "0")));
    }
}
