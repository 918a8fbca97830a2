package dev.vnet.cli;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.Limits;
import dev.vnet.train.Checkpoint;
import dev.vnet.io.data.Sample;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Patches;
import dev.vnet.ops.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "masks", mixinStandardHelpOptions = true,
        description = {"Write the true mask of every image: 255 inside a circle around each blast centre, 0 elsewhere,"
            + " at the image's own size; with --crop, the S x S patches around every centre into segmented_cells/."})
final class MasksCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Mixin
    CommonOptions.Out out;

    @Option(names = "--radius", defaultValue = "25", description = "Circle radius in original pixels.")
    int radius;

    @Option(names = "--crop", paramLabel = "S", description = "Also crop S x S patches around every centre (the method: 50).")
    Integer crop;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws Exception {
        UserError.BadValue.check(() -> Limits.range("--radius", radius, 0, Checkpoint.MAX_MASK_RADIUS));
        List<Sample> samples = DataFolders.load(data, System.err, false);
        if (crop != null) {
            // Every image's size from its header, before anything is written: a crop must fit the smallest.
            for (Sample s : samples) {
                ImageFiles.ImageSize size = ImageFiles.readSize(s.imagePath());
                UserError.BadValue.check(() -> Limits.crop("--crop", crop, size.width(), size.height()));
            }
        }
        OutputFiles.lockEmptyOrForce(out.folder, force.allowed, "vnet masks");
        Path cells = out.folder.resolve("segmented_cells");
        if (crop != null) {
            Files.createDirectories(cells);
        }
        int patches = 0;
        for (Sample s : samples) {
            Image8 img = s.load();
            List<Point> pts = s.centres();
            ImageFiles.write(CircleMask.discs(img.width(), img.height(), pts, radius), out.folder.resolve(s.name() + ".png"));
            if (crop != null) {
                for (int i = 0; i < pts.size(); i++) {
                    Image8 patch = Patches.crop(img, pts.get(i), crop, Patches.Border.SHIFT_INSIDE);
                    ImageFiles.write(patch, cells.resolve(String.format("%s_%02d.png", s.name(), i + 1)));
                    patches++;
                }
            }
        }
        System.out.println("wrote " + samples.size() + " masks" + (crop != null ? " and " + patches + " patches" : "")
                + " to " + out.folder);
        return 0;
    }
}
