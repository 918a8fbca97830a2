package dev.vnet.cli;

import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write synthetic blood smears in the ALL-IDB1 layout (im/*.jpg, xyc/*.xyc).",
            "With --camera, smears as ALL-IDB1's cameras take them (2592 or 1712: sizes in pixels, clustered blasts, "
                    + "other white cells and colours as measured on ALL-IDB1); --scale shrinks them for fast runs; "
                    + "--crops writes single-cell crops in the ALL-IDB2 layout (img/*.tif) instead."})
final class SynthCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.Out out;

    @Option(names = "--images", defaultValue = "40", description = "Number of images.")
    int images;

    @Option(names = "--seed", defaultValue = "1", description = "Seed.")
    long seed;

    @Option(names = "--width", description = "Image width in pixels (default 640, or the camera's).")
    Integer width;

    @Option(names = "--height", description = "Image height in pixels (default 480, or the camera's).")
    Integer height;

    @Option(names = "--camera", description = "Imitate an ALL-IDB1 camera: 2592 or 1712.")
    String camera;

    @Option(names = "--scale", defaultValue = "1", description = "With --camera: magnification factor, e.g. 0.25 for "
            + "a quarter of the frame and of every cell.")
    double scale;

    @Option(names = "--label-noise", defaultValue = "0", description = "Share of blasts, in [0, 1), drawn but left "
            + "out of the .xyc files.")
    double labelNoise;

    @Option(names = "--crops", description = "Write single-cell crops in the ALL-IDB2 layout (needs --camera).")
    boolean crops;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws Exception {
        OutputFiles.requireEmptyOrForce(out.folder, force.allowed);
        SmearConfig c;
        try {
            if (camera == null) {
                if (crops || labelNoise != 0 || scale != 1) {
                    throw new UserError.BadValue("--crops, --label-noise and --scale need --camera 2592 or 1712");
                }
                c = SmearConfig.defaults().withSize(width == null ? 640 : width, height == null ? 480 : height);
            } else {
                Camera cam = Camera.preset(camera).scaled(scale);
                c = SmearConfig.realistic(cam).withUnlabelledShare(labelNoise);
                if (width != null || height != null) {
                    c = c.withSize(width == null ? cam.width() : width, height == null ? cam.height() : height);
                }
            }
            c = c.withImageCount(images).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new UserError.BadValue(e.getMessage());
        }
        OutputFiles.lockEmptyOrForce(out.folder, force.allowed, "vnet synth");
        if (crops) {
            List<String> names = SyntheticDataset.writeCrops(out.folder, c);
            long blasts = names.stream().filter(n -> n.endsWith("_1")).count();
            System.out.println("wrote " + names.size() + " crops (" + blasts + " blasts, " + (names.size() - blasts)
                    + " normal white cells) to " + out.folder);
            return 0;
        }
        List<String> names = SyntheticDataset.write(out.folder, c);
        long all = names.stream().filter(n -> n.endsWith("_1")).count();
        System.out.println("wrote " + names.size() + " images (" + all + " ALL, " + (names.size() - all) + " healthy) to " + out.folder);
        return 0;
    }
}
