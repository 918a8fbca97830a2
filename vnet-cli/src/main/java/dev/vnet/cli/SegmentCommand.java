package dev.vnet.cli;

import dev.vnet.io.AtomicFiles;
import dev.vnet.train.Segmenter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segment blast cells in images of any size: masks, overlays, centres and counts.",
            "For each IN writes <name>_mask.png (original size), <name>_overlay.png and <name>.xyc (detected centres) "
                    + "into --out, and prints the count; counts.csv in --out lists every image with its count and "
                    + "those three files."})
final class SegmentCommand implements Callable<Integer> {
    /** The table of every image's count, in {@code --out}. */
    static final String COUNTS = "counts.csv";

    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Mixin
    CommonOptions.Out out;

    @Mixin
    CommonOptions.Force force;

    @Parameters(arity = "1..*", paramLabel = "IN", description = "Image files.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        Map<Path, Segmenter.Outputs> files = new LinkedHashMap<>();
        List<Path> outputs = new ArrayList<>(List.of(out.folder.resolve(COUNTS)));
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new UserError("input image " + in + " does not exist or is not a file");
            }
            Segmenter.Outputs o = Segmenter.outputs(in, out.folder);
            files.put(in, o);
            outputs.addAll(o.all());
        }
        OutputFiles.requireDistinctOutputs(inputs, in -> files.get(in).mask());
        Segmenter seg = Segmenter.load(model);
        OutputFiles.lockFolder(out.folder, "vnet segment");
        OutputFiles.requireNewOrForce(outputs, force.allowed);
        StringBuilder csv = new StringBuilder("image,count,mask,overlay,xyc\n");
        for (Path in : inputs) {
            Segmenter.Result r = seg.segmentFile(in, out.folder);
            System.out.println(in.getFileName() + "\t" + r.count() + " blast" + (r.count() == 1 ? "" : "s"));
            csv.append(csvField(in.toString())).append(',').append(r.count());
            for (Path f : files.get(in).all()) {
                csv.append(',').append(csvField(f.getFileName().toString()));
            }
            csv.append('\n');
        }
        AtomicFiles.write(out.folder.resolve(COUNTS), csv.toString().getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
    private static String csvField(String s) {
        return s.matches("[^\",\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
