package dev.vnet.cli;

import dev.vnet.train.Segmenter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segment blast cells in images of any size. For each IN writes <name>_mask.png (original size),",
            "<name>_overlay.png and <name>.xyc (detected centres) into --out, and prints the count."})
final class SegmentCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--force", description = "Overwrite existing outputs.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new UserError("input image " + in + " does not exist or is not a file");
            }
            String name = in.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (!force && Files.exists(out.resolve(name + "_mask.png"))) {
                throw new UserError("output " + out.resolve(name + "_mask.png") + " exists (use --force to overwrite)");
            }
        }
        Segmenter seg = Segmenter.load(model);
        for (Path in : inputs) {
            Segmenter.Result r = seg.segmentFile(in, out);
            System.out.println(in.getFileName() + "\t" + r.count() + " blast" + (r.count() == 1 ? "" : "s"));
        }
        return 0;
    }
}
