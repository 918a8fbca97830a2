package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.Limits;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.checkpoint.SafetensorsFile;
import dev.vnet.ops.preprocess.PreprocessConfig;
import java.io.IOException;
import java.io.OutputStream;
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
 * <p>{@link #load} refuses, naming the file, a configuration whose sizes are out of bounds ({@link #checkSizes})
 * and weights that are NaN or infinite (naming the tensor).
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

    /** The largest model input side, in pixels, accepted from a checkpoint or an option. */
    public static final int MAX_INPUT_SIDE = 8192;

    /** The largest Gaussian or median kernel size accepted. */
    public static final int MAX_KERNEL = 255;

    /** The largest mask radius in pixels accepted: its square still fits an {@code int}. */
    public static final int MAX_MASK_RADIUS = 1 << 15;

    // Full-resolution activation maps of baseWidth channels alive at once in a forward pass: the input block's
    // convolution, normalisation and activation outputs and the skip connection. A lower bound: the coarser
    // levels and the decoder add more.
    private static final int LIVE_ACTIVATIONS = 4;

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
        Safetensors.write(file, model.stateDict(), metadata(model, config, epoch, step, validationDice));
    }

    /**
     * Writes what {@link #save} writes to {@code out}, for example as one file of an epoch's
     * {@link dev.vnet.io.AtomicFolder} unit (weights, optimiser state and run state made durable together).
     *
     * @param out            the stream (not closed)
     * @param model          the network
     * @param config         its training configuration
     * @param epoch          the last completed epoch
     * @param step           optimiser steps taken
     * @param validationDice the validation Dice at that epoch, or NaN
     * @throws IOException if the stream fails
     */
    public static void writeTo(OutputStream out, VNet model, TrainConfig config, int epoch, long step,
            double validationDice) throws IOException {
        Safetensors.writeTo(out, model.stateDict(), metadata(model, config, epoch, step, validationDice));
    }

    private static Map<String, String> metadata(VNet model, TrainConfig config, int epoch, long step,
            double validationDice) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vnet-checkpoint-1");
        meta.put(CONFIG_KEY, config.toJson());
        meta.put("vnet.model", model.config().toString());
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("seed", Long.toString(config.seed()));
        meta.put("threads", Integer.toString(config.threads()));
        meta.put("val_dice", Double.toString(validationDice));
        return meta;
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
        try {
            checkSizes(config, 1);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": metadata '" + CONFIG_KEY + "': " + e.getMessage(), e);
        }
        f.requireFinite();
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
     * Checks the sizes a configuration asks for as command-line options are checked, before anything is allocated:
     * the model input size, the kernel sizes, the CLAHE tiles and the mask radius are bounded, and the memory a
     * forward pass over {@code batch} images needs at least is compared with the Java heap. (The model's widths
     * are bounded by the tensors of the file a configuration comes with.) The thread count is not checked: it
     * depends on the machine that runs the model, not on the model ({@link dev.vnet.io.Limits#threads}).
     *
     * @param config the configuration
     * @param batch  images per forward pass
     * @throws IllegalArgumentException naming the field (e.g. {@code preprocess.width}), the value and the range
     */
    public static void checkSizes(TrainConfig config, int batch) {
        PreprocessConfig p = config.preprocess();
        Limits.range("preprocess.width", p.width(), 16, MAX_INPUT_SIDE);
        Limits.range("preprocess.height", p.height(), 16, MAX_INPUT_SIDE);
        Limits.oddKernel("preprocess.gaussianKernel", p.gaussianKernel(), MAX_KERNEL, true);
        Limits.oddKernel("preprocess.medianKernel", p.medianKernel(), MAX_KERNEL, true);
        if (p.claheClip() > 0) {
            if (!Double.isFinite(p.claheClip())) {
                throw new IllegalArgumentException("preprocess.claheClip must be a finite number, got " + p.claheClip());
            }
            Limits.range("preprocess.claheTilesX", p.claheTilesX(), 1, p.width());
            Limits.range("preprocess.claheTilesY", p.claheTilesY(), 1, p.height());
        }
        Limits.range("preprocess.maskRadius", p.maskRadius(), 0, MAX_MASK_RADIUS);
        if (!(p.maskRadiusFraction() <= 1)) {
            throw new IllegalArgumentException("preprocess.maskRadiusFraction must be 0 to 1 (of the image width), got "
                    + p.maskRadiusFraction());
        }
        Limits.range("batch", batch, 1, Integer.MAX_VALUE);
        int channels = Math.max(config.model().baseWidth(), config.model().inChannels());
        Limits.fitsHeap("a forward pass over " + batch + (batch == 1 ? " image" : " images") + " of " + p.width() + "×"
                + p.height() + " pixels with " + channels + " channels", Limits.product("activation bytes", batch,
                channels, p.width(), p.height(), Float.BYTES, LIVE_ACTIVATIONS));
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
