package dev.vnet.cli;

import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write synthetic blood smears in the ALL-IDB1 layout (im/*.jpg, xyc/*.xyc).")
final class SynthCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.Out out;

    @Option(names = "--images", defaultValue = "40", description = "Number of images.")
    int images;

    @Option(names = "--seed", defaultValue = "1", description = "Seed.")
    long seed;

    @Option(names = "--width", defaultValue = "640", description = "Image width in pixels.")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "Image height in pixels.")
    int height;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws Exception {
        OutputFiles.requireEmptyOrForce(out.folder, force.allowed);
        SmearConfig c;
        try {
            c = SmearConfig.defaults().withImageCount(images).withSeed(seed).withSize(width, height);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<String> names = SyntheticDataset.write(out.folder, c);
        long all = names.stream().filter(n -> n.endsWith("_1")).count();
        System.out.println("wrote " + names.size() + " images (" + all + " ALL, " + (names.size() - all) + " healthy) to " + out.folder);
        return 0;
    }
}
