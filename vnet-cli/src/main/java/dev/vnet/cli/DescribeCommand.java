package dev.vnet.cli;

import dev.vnet.cli.report.ArchitectureDiagram;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print every layer of the V-Net with its output shape and parameter count.")
final class DescribeCommand implements Callable<Integer> {
    @Option(names = "--in-channels", defaultValue = "1", description = "Input channels.")
    int inChannels;

    @Option(names = "--size", defaultValue = "256", description = "Input height and width.")
    int size;

    @Option(names = "--base-width", defaultValue = "16", description = "Channels of the first stage.")
    int baseWidth;

    /** The activations of {@link VNetConfig.Activation}, as the command line writes them. */
    enum Activation {
        relu(VNetConfig.Activation.RELU), prelu(VNetConfig.Activation.PRELU), elu(VNetConfig.Activation.ELU);

        final VNetConfig.Activation value;

        Activation(VNetConfig.Activation value) {
            this.value = value;
        }
    }

    /** The convolution counts per stage of the published layouts. */
    enum Layout {
        monai, paper;

        VNetConfig config() {
            return this == monai ? VNetConfig.monai() : VNetConfig.paper();
        }
    }

    @Option(names = "--activation", defaultValue = "relu", description = "${COMPLETION-CANDIDATES}.")
    Activation activation;

    @Option(names = "--layout", defaultValue = "monai",
            description = "Conv counts: monai (1,2,3,2 / 2,2,1,1) or paper (2,3,3,3 / 3,3,2,1).")
    Layout layout;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the architecture (the V shape) as a PNG.")
    Path png;

    @Override
    public Integer call() throws IOException {
        if (size < 1 || inChannels < 1) {
            throw new UserError("--size and --in-channels must be >= 1, got " + size + " and " + inChannels);
        }
        VNetConfig c;
        try {
            c = layout.config().toBuilder().inChannels(inChannels).baseWidth(baseWidth).activation(activation.value)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        System.out.print(new VNet(c, TrainConfig.paper().seed()).describe(size, size));
        if (png != null) {
            ArchitectureDiagram.write(png, c, size, size);
            System.out.println("architecture drawn in " + png);
        }
        return 0;
    }
}
