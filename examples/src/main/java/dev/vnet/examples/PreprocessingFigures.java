package dev.vnet.examples;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.io.synth.SyntheticSmear;
import dev.vnet.ops.CircleMask;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Patches;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import dev.vnet.ops.preprocess.Pipeline;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.ops.preprocess.SmearPreprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the figures of {@code docs/preprocessing.md}: one synthetic smear before and after every step of
 * the method's {@link Pipeline} ({@link PreprocessConfig#paper()}, prepared as training prepares a sample, by
 * {@link SmearPreprocessor}), its true mask at the original size and at 256×256, the mask drawn over the
 * network's input, a detail of one blast through the steps, and the 50×50 patches around the blasts.
 *
 * <p>Usage: {@code PreprocessingFigures [outputDir [imageIndex]]}, by default
 * {@code docs/images/preprocessing} and image 26 of {@link SmearConfig#defaults()} ({@code Im027_1}: three
 * blasts, one of them 22 px from the top border, which shows the patches' border policy, and two normal
 * lymphocytes, which the true mask leaves out).
 * {@code tools/preprocessing-figures.sh} compiles and runs it.
 */
public final class PreprocessingFigures {
    /** Enlargement of the detail crops and patches, nearest neighbour, so single pixels stay visible. */
    private static final int ZOOM = 3;
    /** Side of the detail crop, in pixels of the 256×256 images. */
    private static final int DETAIL = 48;
    private static final int GAP = 4;

    private PreprocessingFigures() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/images/preprocessing");
        int index = args.length > 1 ? Integer.parseInt(args[1]) : 26;
        Files.createDirectories(out);

        SmearConfig config = SmearConfig.defaults();
        SyntheticSmear smear = new SmearGenerator(config).render(index);
        if (!smear.all()) {
            throw new IllegalArgumentException("image " + index + " (" + smear.name() + ") has no blasts; pick an ALL image");
        }
        Image8 original = smear.image();
        List<Point> centres = smear.blastCentres();

        // The steps one at a time, so every intermediate image can be written.
        PreprocessConfig settings = PreprocessConfig.paper();
        SmearPreprocessor preprocessor = new SmearPreprocessor(settings);
        Pipeline paper = preprocessor.pipeline();
        List<Image8> stages = new ArrayList<>();
        Image8 cur = original;
        for (Pipeline.Step step : paper.steps()) {
            cur = step.apply(cur);
            stages.add(cur);
        }
        if (!cur.sameAs(preprocessor.prepareImage(original))) {
            throw new IllegalStateException("step-by-step result differs from the training's preparation");
        }
        String[] names = {"1-gray.png", "2-resize.png", "3-gaussian.png", "4-median.png", "5-clahe.png"};
        // Half size: the full-size colour PNG of a noisy photograph would weigh about 750 KB.
        write(Resize.apply(original, original.width() / 2, original.height() / 2, Resize.Interpolation.AREA),
                out.resolve("0-original-half.png"));
        for (int i = 0; i < names.length; i++) {
            write(stages.get(i), out.resolve(names[i]));
        }

        Image8 maskOriginal = CircleMask.discs(original.width(), original.height(), centres,
                settings.radiusFor(original.width()));
        Image8 mask = preprocessor.prepareMask(original.width(), original.height(), centres);
        write(maskOriginal, out.resolve("6-mask-original.png"));
        write(mask, out.resolve("7-mask-256.png"));
        Image8 input = stages.get(stages.size() - 1);
        write(outline(ColorConvert.grayToRgb(input), mask), out.resolve("8-mask-over-input.png"));

        // A detail of the first blast through the 256×256 steps: where the blurs and CLAHE differ.
        Point first = scaled(centres.get(0), original, input);
        List<Image8> details = new ArrayList<>();
        for (int i = 1; i < stages.size(); i++) {
            details.add(zoom(Patches.crop(stages.get(i), first, DETAIL, Patches.Border.SHIFT_INSIDE)));
        }
        write(strip(details), out.resolve("9-detail.png"));

        // segmented_cells: 50×50 patches of the original image around every centre, both border policies.
        List<Image8> shifted = new ArrayList<>();
        List<Image8> padded = new ArrayList<>();
        for (Point p : centres) {
            shifted.add(zoom(Patches.crop(original, p, Patches.DEFAULT_SIZE, Patches.Border.SHIFT_INSIDE)));
            padded.add(zoom(Patches.crop(original, p, Patches.DEFAULT_SIZE, Patches.Border.PAD_BLACK)));
        }
        write(strip(shifted), out.resolve("10-patches-shift-inside.png"));
        write(strip(padded), out.resolve("11-patches-pad-black.png"));

        System.out.println("smear " + smear.name() + " (" + config.width() + "x" + config.height() + ", seed "
                + config.seed() + ", index " + index + "), blast centres " + centres);
        System.out.println("pipeline: " + paper);
        System.out.println("detail around " + first + " in 256x256 pixels");
    }

    private static void write(Image8 img, Path file) throws IOException {
        ImageFiles.write(img, file);
        System.out.println("wrote " + file + " (" + img.width() + "x" + img.height() + ", " + Files.size(file) + " bytes)");
    }

    /** The pixel of {@code to} that contains the centre of pixel {@code p} of {@code from}. */
    private static Point scaled(Point p, Image8 from, Image8 to) {
        return CircleMask.scalePoint(p, from.width(), from.height(), to.width(), to.height());
    }

    private static Image8 zoom(Image8 img) {
        return Resize.apply(img, img.width() * ZOOM, img.height() * ZOOM, Resize.Interpolation.NEAREST);
    }

    /** The mask's edge pixels (inside, with a 4-neighbour outside) painted yellow on an RGB copy of {@code rgb}. */
    private static Image8 outline(Image8 rgb, Image8 mask) {
        Image8 out = rgb.copy();
        int w = mask.width(), h = mask.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.get(x, y, 0) == 0) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || mask.get(x - 1, y, 0) == 0
                        || mask.get(x + 1, y, 0) == 0 || mask.get(x, y - 1, 0) == 0 || mask.get(x, y + 1, 0) == 0;
                if (edge) {
                    out.set(x, y, 0, 255);
                    out.set(x, y, 1, 220);
                    out.set(x, y, 2, 0);
                }
            }
        }
        return out;
    }

    /** The images side by side on white, {@link #GAP} pixels apart, as RGB. */
    private static Image8 strip(List<Image8> images) {
        int width = -GAP;
        int height = 0;
        for (Image8 img : images) {
            width += img.width() + GAP;
            height = Math.max(height, img.height());
        }
        Image8 out = new Image8(width, height, 3);
        java.util.Arrays.fill(out.data(), (byte) 255);
        int x0 = 0;
        for (Image8 img : images) {
            Image8 rgb = img.channels() == 3 ? img : ColorConvert.grayToRgb(img);
            for (int y = 0; y < rgb.height(); y++) {
                System.arraycopy(rgb.data(), y * rgb.width() * 3, out.data(), (y * width + x0) * 3, rgb.width() * 3);
            }
            x0 += img.width() + GAP;
        }
        return out;
    }
}
