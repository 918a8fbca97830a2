package dev.vnet.cli.tour;

import dev.vnet.core.loss.BceWithLogitsLoss;
import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.loss.DiceLoss;
import dev.vnet.core.nn.Parameter;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.io.data.ImageTensors;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import dev.vnet.ops.preprocess.Pipeline;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.parallel.WorkerPool;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * One photograph of a blood smear followed through the method, for a student to read: the preprocessing steps of
 * {@link PreprocessConfig#paper()}'s {@link Pipeline} one at a time, the true mask, a small V-Net trained for a few
 * Adam steps on this photograph alone, its forward pass stage by stage (each stage's feature maps as a picture),
 * the Dice + BCE loss and the graph it was computed on, and the backward pass: the gradient of the loss with respect
 * to the input (where a change of the pixels would change the loss most) and to the first convolution's weights.
 * Every step prints its shapes and its time; the pictures go into a folder, with the printed text as
 * {@code tour.txt}.
 *
 * <p>The same photograph, settings and thread count give the same pictures and numbers (the seed fixes the initial
 * weights; the engine gives the same bits for the same thread count).
 */
public final class SmearTour {
    /** The photograph the project ships for the tour, a resource next to this class, with its {@code .xyc}. */
    public static final String SHIPPED_PHOTO = "BloodImage_00001.jpg";
    /** How many channels of a stage its picture shows. */
    static final int TILES = 8;
    /** Side of a feature map's tile, in pixels. */
    static final int TILE = 128;
    /** Pixels per weight in the drawing of the first convolution. */
    static final int KERNEL_ZOOM = 20;
    /** The quantile of the gradient's magnitude that the saliency picture draws white. */
    static final double SALIENCY_QUANTILE = 0.995;

    /**
     * What the tour trains and how.
     *
     * @param baseWidth     channels of the V-Net's first stage (MONAI's layout otherwise)
     * @param seed          the seed of the initial weights
     * @param trainingSteps Adam steps on the photograph before the pass that is shown; 0 shows the initial model
     * @param learningRate  Adam's learning rate
     * @param radius        radius of the true mask's discs, in pixels of the photograph
     * @param threads       engine threads; the same count gives the same pictures
     */
    public record Settings(int baseWidth, long seed, int trainingSteps, double learningRate, int radius, int threads) {
        /**
         * Rejects values out of range.
         *
         * @param baseWidth     channels of the V-Net's first stage
         * @param seed          the seed of the initial weights
         * @param trainingSteps Adam steps before the pass that is shown, {@code >= 0}
         * @param learningRate  Adam's learning rate, {@code > 0}
         * @param radius        radius of the true mask's discs in pixels, {@code >= 1}
         * @param threads       engine threads, {@code >= 1}
         */
        public Settings {
            if (baseWidth < 1 || trainingSteps < 0 || !(learningRate > 0) || radius < 1 || threads < 1) {
                throw new IllegalArgumentException("tour settings: base width, radius and threads must be >= 1, steps "
                        + ">= 0 and the learning rate > 0, got " + baseWidth + ", " + radius + ", " + threads + ", "
                        + trainingSteps + " and " + learningRate);
            }
        }

        /**
         * {@return the settings the documentation's pictures were made with: base width 8 (the demo preset's), seed 1,
         * no training (a forward and backward pass take seconds; training steps take as long each), a learning rate
         * of 0.003 for {@code --steps}, the method's mask radius of 25 px, 2 threads}
         */
        public static Settings defaults() {
            return new Settings(8, 1, 0, 3e-3, PreprocessConfig.paper().maskRadius(), 2);
        }
    }

    /**
     * A photograph and the centres of the cells its true mask marks.
     *
     * @param name    the file name, for the narration
     * @param image   the photograph as decoded
     * @param centres the marked cell centres, in the photograph's pixels
     */
    public record Photo(String name, Image8 image, List<Point> centres) {
        /**
         * Copies the centres.
         *
         * @param name    the file name, for the narration
         * @param image   the photograph as decoded
         * @param centres the marked cell centres, in the photograph's pixels
         */
        public Photo {
            centres = List.copyOf(centres);
        }
    }

    /**
     * The printed text and the pictures of a tour.
     *
     * @param lines          the narration, as printed and as written to {@code tour.txt}
     * @param pictures       the file names of the pictures, in the order the narration names them
     * @param trainingLosses Dice + BCE of each training step, before its update; empty without training
     * @param loss           Dice + BCE of the pass that is shown, after the training steps
     */
    public record Report(List<String> lines, List<String> pictures, List<Double> trainingLosses, double loss) {
        /**
         * Copies the lists.
         *
         * @param lines          the narration
         * @param pictures       the pictures' file names
         * @param trainingLosses Dice + BCE of each training step
         * @param loss           Dice + BCE of the pass that is shown
         */
        public Report {
            lines = List.copyOf(lines);
            pictures = List.copyOf(pictures);
            trainingLosses = List.copyOf(trainingLosses);
        }
    }

    private final Settings settings;
    private final Path out;
    private final Consumer<String> print;
    private final List<String> lines = new ArrayList<>();
    private final List<String> pictures = new ArrayList<>();
    private final List<Double> trainingLosses = new ArrayList<>();

    private SmearTour(Settings settings, Path out, Consumer<String> print) {
        this.settings = settings;
        this.out = out;
        this.print = print;
    }

    /**
     * {@return the photograph the project ships: {@value #SHIPPED_PHOTO}, a 640×480 photograph of the BCCD data set
     * (MIT licence, see the {@code NOTICE} next to it) with one white cell, a neutrophil, whose centre its
     * {@code .xyc} marks}
     *
     * @throws IOException if the resource cannot be read
     */
    public static Photo shippedPhoto() throws IOException {
        String stem = SHIPPED_PHOTO.substring(0, SHIPPED_PHOTO.lastIndexOf('.'));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(resource(SHIPPED_PHOTO)));
        List<Point> centres = XycParser.parse(resource(stem + ".xyc"), stem + ".xyc");
        return new Photo(SHIPPED_PHOTO, ImageFiles.fromBufferedImage(image), centres);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SmearTour.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing next to " + SmearTour.class.getName());
            }
            return in.readAllBytes();
        }
    }

    /**
     * {@return a photograph file and the centres of the {@code .xyc} file given, or else of {@code NAME.xyc} next to
     * it or in {@code ../xyc/} (ALL-IDB1's layout), or else none (the true mask is then empty)}
     *
     * @param image   the photograph
     * @param centres the {@code .xyc} file, or null to look for one
     * @throws IOException if a file cannot be read or a centre lies outside the photograph
     */
    public static Photo photo(Path image, Path centres) throws IOException {
        Image8 img = ImageFiles.read(image);
        String name = image.getFileName().toString();
        Path xyc = centres;
        if (xyc == null) {
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            Path folder = image.toAbsolutePath().getParent();
            List<Path> candidates = new ArrayList<>(List.of(folder.resolve(stem + ".xyc")));
            if (folder.getParent() != null) {
                candidates.add(folder.resolveSibling("xyc").resolve(stem + ".xyc"));
            }
            for (Path candidate : candidates) {
                if (Files.isRegularFile(candidate)) {
                    xyc = candidate;
                    break;
                }
            }
        }
        List<Point> points = xyc == null ? List.of() : XycParser.read(xyc, img.width(), img.height());
        return new Photo(name, img, points);
    }

    /**
     * Runs the tour on {@code photo}, writing the pictures and {@code tour.txt} into {@code out} (which must exist)
     * and handing each line of the narration to {@code print} as it is written.
     *
     * @param photo    the photograph and its marked centres
     * @param settings the model and its training
     * @param out      the folder for the pictures
     * @param print    receives each line of the narration
     * @return the narration and the pictures' names
     * @throws IOException if a picture cannot be written
     */
    public static Report run(Photo photo, Settings settings, Path out, Consumer<String> print) throws IOException {
        SmearTour tour = new SmearTour(settings, out, print);
        try (WorkerPool pool = WorkerPool.of(settings.threads())) {
            double loss = pool.call(() -> {
                try {
                    return tour.walk(photo);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Files.write(out.resolve("tour.txt"), tour.lines, StandardCharsets.UTF_8);
            return new Report(tour.lines, tour.pictures, tour.trainingLosses, loss);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private double walk(Photo photo) throws IOException {
        Image8 original = photo.image();
        PreprocessConfig method = PreprocessConfig.paper();
        Pipeline pipeline = method.pipeline();

        say("1. The photograph: %s, %d×%d pixels, %d channels; %d marked cell centre%s.", photo.name(), original.width(),
                original.height(), original.channels(), photo.centres().size(), photo.centres().size() == 1 ? "" : "s");
        picture("photo.png", Resize.apply(original, original.width() / 2, original.height() / 2,
                Resize.Interpolation.AREA));
        say("   photo.png shows it at half size.");
        say("");
        say("2. Preprocessing, the method's Pipeline (PreprocessConfig.paper().pipeline()), one step at a time:");
        say("   %-58s %-15s %8s", "step", "output H×W×C", "time");
        Image8 img = original;
        int index = 1;
        for (Pipeline.Step step : pipeline.steps()) {
            long t0 = System.nanoTime();
            img = step.apply(img);
            long ms = millis(t0);
            String file = "prep-" + index++ + "-" + step.describe().replaceAll("\\(.*", "") + ".png";
            picture(file, img);
            say("   %-58s %-15s %5d ms  %s", step.describe().replace(", colorMode=LAB_LIGHTNESS", ""),
                    img.height() + "×" + img.width() + "×" + img.channels(), ms, file);
        }
        Image8 mask = pipeline.mask(original.width(), original.height(), photo.centres(), settings.radius());
        int h = img.height();
        int w = img.width();
        float[] target = new float[h * w];
        int inside = 0;
        for (int i = 0; i < target.length; i++) {
            target[i] = (mask.data()[i] & 0xFF) >= 128 ? 1f : 0f;
            inside += (int) target[i];
        }
        picture("mask.png", mask);
        picture("mask-over-input.png", TourPictures.redOver(img, scaled(target, 0.5f)));
        say("   true mask: discs of radius %d px at the centres, drawn at %d×%d, resized (nearest) to %d×%d",
                settings.radius(), original.width(), original.height(), w, h);
        say("   %-58s %-15s %8s  mask.png, mask-over-input.png", String.format(Locale.ROOT,
                "%d of its %d pixels are 1 (%.1f%%)", inside, target.length, 100.0 * inside / target.length),
                h + "×" + w + "×1", "");
        Tensor input = ImageTensors.toTensor(img);
        Tensor truth = Tensor.wrap(target, 1, 1, h, w);
        say("   the network's input: the bytes / 255 as a tensor %s, the mask as a tensor %s of 0 and 1",
                Shape.toString(input.shape()), Shape.toString(truth.shape()));
        say("");

        VNetConfig config = VNetConfig.monai().toBuilder().inChannels(img.channels()).baseWidth(settings.baseWidth())
                .build();
        VNet model = new VNet(config, settings.seed());
        DiceBceLoss lossFn = new DiceBceLoss();
        say("3. The model: a V-Net in MONAI's layout at base width %d (%,d parameters), weights drawn from seed %d.",
                settings.baseWidth(), model.parameterCount(), settings.seed());
        if (settings.trainingSteps() > 0) {
            Adam adam = new Adam(model.parameters(), settings.learningRate());
            long t0 = System.nanoTime();
            for (int s = 0; s < settings.trainingSteps(); s++) {
                adam.zeroGrad();
                Tensor loss = lossFn.forward(model.forward(input), truth);
                loss.backward();
                adam.step();
                trainingLosses.add((double) loss.item());
            }
            say("   Trained on this one photograph and its mask: %d Adam step%s (learning rate %s), Dice + BCE %.4f at the"
                    + " first step, %.4f at the last (%d ms).", settings.trainingSteps(),
                    settings.trainingSteps() == 1 ? "" : "s", settings.learningRate(), trainingLosses.get(0),
                    trainingLosses.get(trainingLosses.size() - 1), millis(t0));
            say("   It has learned this photograph, not blast cells: the point is to see a network that has begun to"
                    + " fit.");
        } else {
            say("   Not trained (vnet tour --steps N trains it on this photograph first): the maps below come from the"
                    + " initial weights.");
        }
        say("");

        say("4. Forward, stage by stage (batch norm normalises with this image's own statistics, as in training):");
        say("   %-10s %-18s %8s  %s", "stage", "output [N,C,H,W]", "time", "picture (the first channels)");
        Tensor x = Tensor.wrap(input.data().clone(), input.shape()).requiresGrad(true);
        model.zeroGrad();
        Map<String, Tensor> stages = new LinkedHashMap<>();
        Map<String, Long> stageMillis = new LinkedHashMap<>();
        long[] clock = {System.nanoTime()};
        Tensor logits = model.forward(x, (name, t) -> {
            stages.put(name, t);
            stageMillis.put(name, millis(clock[0]));
            clock[0] = System.nanoTime();
        });
        int n = 1;
        for (Map.Entry<String, Tensor> e : stages.entrySet()) {
            Tensor t = e.getValue();
            String file = "stage-" + n++ + "-" + e.getKey() + ".png";
            int shown = Math.min(TILES, t.dim(1));
            picture(file, TourPictures.featureTiles(t.data(), t.shape(), shown, TILE));
            say("   %-10s %-18s %5d ms  %s (%d of %d)", e.getKey(), Shape.toString(t.shape()).replace(" ", ""),
                    stageMillis.get(e.getKey()), file, shown, t.dim(1));
        }
        float[] probability;
        try (var ignored = GradMode.noGrad()) {
            probability = Activations.sigmoid(logits).data();
        }
        picture("output-probability.png", TourPictures.probabilities(probability, h, w));
        say("   σ(logits), the probability that a pixel belongs to a marked cell: output-probability.png");
        say("");

        long t0 = System.nanoTime();
        Tensor loss = lossFn.forward(logits, truth);
        long lossMs = millis(t0);
        double dice;
        double bce;
        try (var ignored = GradMode.noGrad()) {
            dice = new DiceLoss().forward(logits, truth).item();
            bce = new BceWithLogitsLoss().forward(logits, truth).item();
        }
        say("5. Loss against the true mask: Dice %.4f + BCE %.4f = %.4f (%d ms).", dice, bce, loss.item(), lossMs);
        describeGraph(loss, model, x, truth);
        say("");

        Map.Entry<String, Parameter> firstConv = firstConvolution(model);
        t0 = System.nanoTime();
        loss.backward();
        long backwardMs = millis(t0);
        say("6. Backward: %d ms, from the loss back to every parameter and to the input (the graph is freed as it goes).",
                backwardMs);
        float[] saliency = x.grad();
        picture("saliency.png", TourPictures.heat(saliency, h, w, SALIENCY_QUANTILE));
        picture("saliency-over-input.png", TourPictures.redOver(img,
                TourPictures.magnitudes(saliency, SALIENCY_QUANTILE)));
        say("   %-45s %-15s largest |g| %.3e  saliency.png, saliency-over-input.png", "d loss / d input",
                Shape.toString(x.shape()).replace(" ", ""), maxAbs(saliency));
        Parameter conv = firstConv.getValue();
        picture("conv1-weights.png", TourPictures.signedKernels(conv.data(), conv.shape(), KERNEL_ZOOM));
        picture("conv1-gradients.png", TourPictures.signedKernels(conv.grad(), conv.shape(), KERNEL_ZOOM));
        say("   %-45s %-15s largest |g| %.3e  conv1-gradients.png (the weights: conv1-weights.png)",
                "d loss / d " + firstConv.getKey(), Shape.toString(conv.shape()).replace(" ", ""), maxAbs(conv.grad()));
        return loss.item();
    }

    /** Counts the graph under {@code loss}: its op results by op and its leaves by kind. */
    private void describeGraph(Tensor loss, VNet model, Tensor input, Tensor mask) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Tensor> parameters = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter p : model.parameters().values()) {
            parameters.add(p.value());
        }
        Deque<Tensor> todo = new ArrayDeque<>(List.of(loss));
        seen.add(loss);
        Map<String, Integer> ops = new TreeMap<>();
        int params = 0;
        int others = 0;
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t.op() != null) {
                ops.merge(t.op(), 1, Integer::sum);
            } else if (parameters.contains(t)) {
                params++;
            } else if (t != input && t != mask) {
                others++;
            }
            for (Tensor in : t.inputs()) {
                if (seen.add(in)) {
                    todo.push(in);
                }
            }
        }
        int opCount = ops.values().stream().mapToInt(Integer::intValue).sum();
        say("   The graph the forward pass recorded: %d nodes, %d op results and %d leaves (%d parameters, the input%s%s).",
                seen.size(), opCount, seen.size() - opCount, params, seen.contains(mask) ? ", the mask" : "",
                others > 0 ? ", " + others + " other constants" : "");
        StringBuilder s = new StringBuilder("   ops:");
        for (Map.Entry<String, Integer> e : ops.entrySet()) {
            String op = " " + e.getKey() + " ×" + e.getValue();
            if (s.length() + op.length() > 100) {
                say("%s", s);
                s = new StringBuilder("       ");
            }
            s.append(op);
        }
        say("%s", s);
    }

    private static Map.Entry<String, Parameter> firstConvolution(VNet model) {
        for (Map.Entry<String, Parameter> e : model.parameters().entrySet()) {
            if (e.getValue().shape().length == 4) {
                return e;
            }
        }
        throw new IllegalStateException("the V-Net has no convolution weight");
    }

    private void picture(String file, Image8 img) throws IOException {
        ImageFiles.write(img, out.resolve(file));
        pictures.add(file);
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args).stripTrailing();
        lines.add(line);
        print.accept(line);
    }

    private static long millis(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6);
    }

    private static float[] scaled(float[] v, float factor) {
        float[] s = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] * factor;
        }
        return s;
    }

    private static float maxAbs(float[] v) {
        float m = 0f;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
