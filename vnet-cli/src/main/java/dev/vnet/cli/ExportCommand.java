package dev.vnet.cli;

import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.onnx.OnnxExport;
import dev.vnet.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint's V-Net as an ONNX model (opset 17) for ONNX Runtime and other engines.",
            "Input 'image': float32 [batch, channels, height, width], any batch and size, the prepared image as bytes / 255;"
                    + " outputs 'logits' and 'probabilities' of the same size. The training configuration is in the file's"
                    + " metadata (vnet.config)."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Option(names = "--onnx", required = true, description = "The ONNX file to write (.onnx).")
    Path onnx;

    @Mixin
    CommonOptions.Force force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        OutputFiles.requireNewOrForce(List.of(onnx), force.allowed);
        Checkpoint c = Checkpoint.load(model);
        Path parent = onnx.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        OnnxExport.write(c, onnx);
        VNetConfig m = c.model().config();
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%.1f MB): %s preset, input image [batch, %d, height, width], outputs "
                        + "logits and probabilities [batch, %d, height, width]%n", onnx, Files.size(onnx) / 1e6,
                c.config().preset(), m.inChannels(), m.outChannels());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
