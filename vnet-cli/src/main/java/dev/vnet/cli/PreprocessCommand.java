package dev.vnet.cli;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.Limits;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Resize;
import dev.vnet.ops.preprocess.Pipeline;
import dev.vnet.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Apply the method's preprocessing to an image (or every image of a folder).",
            "Only the steps given are applied, always in the order gray -> resize -> gaussian -> median -> clahe."})
final class PreprocessCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Input image file or folder.")
    Path in;

    @Parameters(index = "1", description = "Output image file (format from the extension) or folder.")
    Path out;

    @Option(names = "--gray", description = "Convert to gray (OpenCV's coefficients).")
    boolean gray;

    @Option(names = "--resize", paramLabel = "WxH", description = "Resize (bilinear) to W x H pixels.")
    String resize;

    @Option(names = "--gaussian", paramLabel = "K[:SIGMA]", description = "Gaussian blur with odd kernel K (sigma 0 = from K).")
    String gaussian;

    @Option(names = "--median", paramLabel = "K", description = "Median blur with odd kernel K.")
    Integer median;

    @Option(names = "--clahe", paramLabel = "CLIP:TX:TY", description = "CLAHE with clip limit and tile grid (e.g. 2:8:8).")
    String clahe;

    @Mixin
    CommonOptions.Force force;

    @Override
    public Integer call() throws IOException {
        int[] size = resize == null ? null : parseSize(resize);
        double[] g = gaussian == null ? null : parseNumbers("--gaussian", gaussian, 1, 2);
        double[] c = clahe == null ? null : parseNumbers("--clahe", clahe, 3, 3);
        UserError.BadValue.check(() -> {
            if (size != null) {
                Limits.range("--resize W", size[0], 1, Checkpoint.MAX_INPUT_SIDE);
                Limits.range("--resize H", size[1], 1, Checkpoint.MAX_INPUT_SIDE);
            }
            if (g != null) {
                Limits.oddKernel("--gaussian K", (long) g[0], Checkpoint.MAX_KERNEL, false);
            }
            if (median != null) {
                Limits.oddKernel("--median K", median, Checkpoint.MAX_KERNEL, false);
            }
            if (c != null && !(c[0] > 0 && c[0] <= 1000)) {
                throw new IllegalArgumentException("--clahe CLIP must be above 0 and at most 1000, got " + c[0]);
            }
            if (c != null) {
                Limits.range("--clahe TX", (long) c[1], 1, Checkpoint.MAX_INPUT_SIDE);
                Limits.range("--clahe TY", (long) c[2], 1, Checkpoint.MAX_INPUT_SIDE);
            }
        });
        Pipeline pipeline;
        try {
            Pipeline.Builder b = Pipeline.builder();
            if (gray) {
                b.gray();
            }
            if (size != null) {
                b.resize(size[0], size[1], Resize.Interpolation.LINEAR);
            }
            if (g != null) {
                b.gaussian((int) g[0], g.length > 1 ? g[1] : 0);
            }
            if (median != null) {
                b.median(median);
            }
            if (c != null) {
                b.clahe(c[0], (int) c[1], (int) c[2]);
            }
            pipeline = b.build();
        } catch (IllegalArgumentException e) {
            throw new UserError.BadValue(e.getMessage());
        }
        if (!Files.exists(in)) {
            throw new UserError("input " + in + " does not exist");
        }
        List<Path> inputs = new ArrayList<>();
        Function<Path, Path> output;
        if (Files.isDirectory(in)) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserError("input " + in + " is a folder, so the output " + out + " must be a folder too");
            }
            inputs.addAll(DataFolders.imagesIn(in));
            if (inputs.isEmpty()) {
                throw new UserError("no image files in " + in);
            }
            output = p -> out.resolve(p.getFileName().toString().replaceFirst("\\.[^.]+$", ".png"));
            OutputFiles.requireDistinctOutputs(inputs, output);
        } else {
            inputs.add(in);
            output = p -> out;
        }
        OutputFiles.requireNewOrForce(inputs.stream().map(output).toList(), force.allowed);
        if (c != null) {
            // The tile grid must fit every image, as it will be when CLAHE runs: checked on the headers first.
            for (Path p : inputs) {
                ImageFiles.ImageSize s = ImageFiles.readSize(p);
                int w = size == null ? s.width() : size[0];
                int h = size == null ? s.height() : size[1];
                UserError.BadValue.check(() -> {
                    Limits.range("--clahe TX (for " + p.getFileName() + ", " + w + " pixels wide)", (long) c[1], 1, w);
                    Limits.range("--clahe TY (for " + p.getFileName() + ", " + h + " pixels high)", (long) c[2], 1, h);
                });
            }
        }
        if (Files.isDirectory(in)) {
            OutputFiles.lockFolder(out, "vnet preprocess");
            OutputFiles.requireNewOrForce(inputs.stream().map(output).toList(), force.allowed);
        } else if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        for (Path p : inputs) {
            Image8 img = ImageFiles.read(p);
            Image8 prepared;
            try {
                prepared = pipeline.apply(img);
            } catch (IllegalArgumentException e) {
                throw new UserError(p + ": " + e.getMessage());
            }
            ImageFiles.write(prepared, output.apply(p));
        }
        System.out.println("wrote " + inputs.size() + " image(s) to " + out);
        return 0;
    }

    static int[] parseSize(String s) {
        String[] p = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                int w = Integer.parseInt(p[0].trim());
                int h = Integer.parseInt(p[1].trim());
                if (w >= 1 && h >= 1) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserError.BadValue("--resize expects WxH with positive whole numbers, e.g. 256x256, got '" + s + "'");
    }

    static double[] parseNumbers(String option, String s, int min, int max) {
        String[] p = s.split(":");
        if (p.length < min || p.length > max) {
            throw new UserError.BadValue(option + " expects " + min + (max > min ? " to " + max : "") + " numbers separated by ':', got '" + s + "'");
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                out[i] = Double.parseDouble(p[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError.BadValue(option + ": '" + p[i] + "' is not a number (in '" + s + "')");
            }
        }
        return out;
    }
}
