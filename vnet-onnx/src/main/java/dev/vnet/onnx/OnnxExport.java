package dev.vnet.onnx;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.AtomicFiles;
import dev.vnet.onnx.proto.Onnx.ModelProto;
import dev.vnet.onnx.proto.Onnx.OperatorSetIdProto;
import dev.vnet.onnx.proto.Onnx.StringStringEntryProto;
import dev.vnet.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link VNet} as an ONNX model that ONNX Runtime (or any engine of opset 17) runs with the results of this
 * engine's forward pass in evaluation mode.
 *
 * <p>The model has one input, {@value #INPUT}: float32 {@code [batch, inChannels, height, width]}, with batch, height
 * and width free (any size, as {@link VNet#forward} takes any size: the graph pads to a multiple of 16 and crops
 * back, as the engine does). It has two outputs of {@code [batch, outChannels, height, width]}: {@value #LOGITS} and
 * {@value #PROBABILITIES} (their sigmoid). Batch norm is in inference form (the running statistics); dropout, off in
 * evaluation, is not in the graph. The weights are initializers named by their state-dict keys.
 *
 * <p>The input is what the engine's model takes: the prepared image as bytes / 255, channels first (RGB for the
 * point detector, at its working scale; gray after the method's filters for {@code paper}); the checkpoint's
 * configuration, stored in the file's metadata under {@value #CONFIG_KEY}, says which preparation.
 */
public final class OnnxExport {
    /** The ONNX operator set the graph is written for. */
    public static final int OPSET = 17;
    /** The ONNX IR version of the file: 8, the version that goes with opset 17. */
    public static final long IR_VERSION = 8;
    /** The name of the input image tensor. */
    public static final String INPUT = "image";
    /** The name of the output logits. */
    public static final String LOGITS = "logits";
    /** The name of the output probabilities, the sigmoid of the logits. */
    public static final String PROBABILITIES = "probabilities";
    /** The metadata key of the checkpoint's training configuration (JSON), as in the checkpoint. */
    public static final String CONFIG_KEY = Checkpoint.CONFIG_KEY;
    /** The metadata key of the V-Net's layout ({@code VNetConfig}). */
    public static final String MODEL_KEY = "vnet.model";

    private OnnxExport() {}

    /**
     * {@return the ONNX file of {@code model}, as bytes}
     *
     * @param model    the network; its current weights and batch-norm statistics are written, whatever its mode
     * @param metadata written into the file's {@code metadata_props}, after {@value #MODEL_KEY}
     */
    public static byte[] toBytes(VNet model, Map<String, String> metadata) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(MODEL_KEY, model.config().toString());
        props.putAll(metadata);
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("vnet")
                .setDocString("2D V-Net (MONAI's layout): " + model.config())
                .setGraph(VNetGraph.of(model));
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        if (version != null) {
            m.setProducerVersion(version);
        }
        props.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    /**
     * {@return the ONNX file of a checkpoint's model, as bytes, with its training configuration in the metadata}
     *
     * @param checkpoint a loaded checkpoint
     */
    public static byte[] toBytes(Checkpoint checkpoint) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("vnet.preset", checkpoint.config().preset());
        metadata.put(CONFIG_KEY, checkpoint.config().toJson());
        metadata.put("vnet.epoch", Integer.toString(checkpoint.epoch()));
        return toBytes(checkpoint.model(), metadata);
    }

    /**
     * Writes the ONNX file of a checkpoint's model atomically (see {@link #toBytes(Checkpoint)}).
     *
     * @param checkpoint a loaded checkpoint
     * @param file       the {@code .onnx} file to write; its folder must exist
     * @throws IOException if the file cannot be written
     */
    public static void write(Checkpoint checkpoint, Path file) throws IOException {
        AtomicFiles.write(file, toBytes(checkpoint));
    }

    /**
     * Reads a checkpoint and writes its model as an ONNX file.
     *
     * @param checkpoint the {@code .safetensors} checkpoint written by training
     * @param file       the {@code .onnx} file to write; its folder must exist
     * @throws IOException if the checkpoint cannot be read or the file cannot be written
     */
    public static void write(Path checkpoint, Path file) throws IOException {
        write(Checkpoint.load(checkpoint), file);
    }
}
