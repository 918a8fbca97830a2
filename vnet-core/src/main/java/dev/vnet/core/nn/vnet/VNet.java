package dev.vnet.core.nn.vnet;

import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.ModuleTable;
import dev.vnet.core.nn.Sequential;
import dev.vnet.core.nn.vnet.VNetBlocks.DownTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.InputTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.OutputTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.UpTransition;
import dev.vnet.core.nn.vnet.VNetLayout.Kind;
import dev.vnet.core.nn.vnet.VNetLayout.Stage;
import dev.vnet.core.ops.Reshaping;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A 2D V-Net in the layout of MONAI's {@code VNet(spatial_dims=2)}: an input transition to
 * {@code baseWidth} channels with a residual, four down stages (2×2 stride-2 conv doubling the channels,
 * then 5×5 convs and a residual sum), four up stages (2×2 stride-2 transposed conv, concatenation with
 * the matching encoder output, 5×5 convs, residual sum) and an output transition giving
 * {@code outChannels} logits per pixel.
 *
 * <p>Parameter and buffer names are MONAI's ({@code in_tr.conv_block.conv.weight},
 * {@code down_tr64.ops.1.conv_block.adn.N.running_var}, {@code up_tr32.up_conv.bias},
 * {@code out_tr.conv2.weight}, ...), whatever the base width, so a state dict maps onto MONAI's model.
 * With {@link VNetConfig#monai()} the model has 9,357,924 parameters, as MONAI's {@code VNet(spatial_dims=2,
 * in_channels=1, out_channels=1, act="relu")}.
 *
 * <p>Differences from MONAI, all where MONAI fails or surprises: any input channel count (a 1×1
 * projection {@code in_tr.residual.weight} replaces the channel repetition when the count does not
 * divide the base width); inputs of any height and width (zero-padded at the bottom and right to a
 * multiple of 16 and the logits cropped back; the padded zeros take part in batch statistics); dropout is
 * 2D (whole channels) and off by default, and MONAI's fixed skip-connection dropout is left out.
 */
public final class VNet extends Module {
    private final VNetConfig config;
    private final VNetLayout layout;
    private final InputTransition inTr;
    private final List<DownTransition> downs = new ArrayList<>();
    private final List<UpTransition> ups = new ArrayList<>();
    private final OutputTransition outTr;

    /**
     * A V-Net with weights drawn (Kaiming normal) from {@code seed}.
     *
     * @param config the layout
     * @param seed   the seed of the initial weights
     */
    public VNet(VNetConfig config, long seed) {
        this(config, new Rng(seed));
    }

    /**
     * A V-Net with weights drawn (Kaiming normal) from {@code rng}.
     *
     * @param config the layout
     * @param rng    the source of the initial weights
     */
    public VNet(VNetConfig config, Rng rng) {
        this.config = config;
        this.layout = VNetLayout.of(config);
        var a = config.activation();
        // registered in data-flow order, which is MONAI's, and draws the weights in that order
        Stage in = layout.stages(Kind.INPUT).get(0);
        inTr = registerModule(in.name(), new InputTransition(in.in(), in.out(), a, rng));
        for (Stage s : layout.stages(Kind.DOWN)) {
            downs.add(registerModule(s.name(), new DownTransition(s.in(), s.convs(), a, s.dropout(), rng)));
        }
        for (Stage s : layout.stages(Kind.UP)) {
            ups.add(registerModule(s.name(), new UpTransition(s.in(), s.out(), s.convs(), a, s.dropout(), rng)));
        }
        Stage out = layout.stages(Kind.OUTPUT).get(0);
        outTr = registerModule(out.name(), new OutputTransition(out.in(), out.out(), a, rng));
    }

    /**
     * Starts the output layer at a class prior: the bias of the final 1×1 convolution becomes log(p / (1 - p)), so
     * that before training σ(logit) is about {@code prior} everywhere instead of 0.5 (with rare foreground, the
     * first steps then need not push every pixel's logit down).
     *
     * @param prior the expected fraction of foreground pixels, in (0, 1)
     * @throws IllegalArgumentException if {@code prior} is not in (0, 1)
     */
    public void setForegroundPrior(double prior) {
        outTr.setForegroundPrior(prior);
    }

    /**
     * {@return the name and shape of every convolution weight a V-Net of {@code config} has, in registration order,
     * computed without building it} See {@link VNetLayout#convWeightShapes()}.
     *
     * @param config the layout
     * @throws IllegalArgumentException if a channel count of the layout does not fit an {@code int}
     */
    public static Map<String, int[]> convWeightShapes(VNetConfig config) {
        return VNetLayout.of(config).convWeightShapes();
    }

    /** {@return the configuration this model was built from} */
    public VNetConfig config() {
        return config;
    }

    /** {@return the stages this model was built from} */
    public VNetLayout layout() {
        return layout;
    }

    /**
     * The logits for a batch of images.
     *
     * @param x [n, inChannels, h, w], any h and w
     * @return [n, outChannels, h, w]
     */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, (stage, output) -> { });
    }

    /**
     * The logits for a batch of images, handing each stage's output to {@code stageOutputs} as it is computed: the
     * input transition, the four down and four up stages, then the output transition, under the names of
     * {@link #layout()}'s stages ({@code in_tr}, {@code down_tr32}, ..., {@code out_tr}). The outputs are the
     * tensors the graph keeps, at the padded size (a multiple of 16); the output transition's is given before the
     * crop back to the input size.
     *
     * @param x            [n, inChannels, h, w], any h and w
     * @param stageOutputs receives each stage's name and output, in data-flow order
     * @return [n, outChannels, h, w]
     */
    public Tensor forward(Tensor x, BiConsumer<String, Tensor> stageOutputs) {
        Shape.requireRank("VNet", "input", x, 4);
        if (x.dim(1) != config.inChannels()) {
            throw new IllegalArgumentException("VNet: input has " + x.dim(1) + " channels (shape "
                    + Shape.toString(x.shape()) + "), the model takes " + config.inChannels());
        }
        int h = x.dim(2);
        int w = x.dim(3);
        int padH = Math.floorMod(-h, 16);
        int padW = Math.floorMod(-w, 16);
        Tensor in = padH == 0 && padW == 0 ? x : Reshaping.pad2d(x, 0, padH, 0, padW);
        Tensor y = inTr.forward(in);
        if (in != x) {
            in.release();
        }
        stageOutputs.accept(stageName(inTr), y);
        // each down stage's input is the skip connection of the up stage of the same size
        Deque<Tensor> skips = new ArrayDeque<>();
        for (DownTransition down : downs) {
            skips.push(y);
            y = down.forward(y);
            stageOutputs.accept(stageName(down), y);
        }
        for (UpTransition up : ups) {
            y = up.forward(y, skips.pop());
            stageOutputs.accept(stageName(up), y);
        }
        y = outTr.forward(y);
        stageOutputs.accept(stageName(outTr), y);
        if (padH == 0 && padW == 0) {
            return y;
        }
        Tensor cropped = Reshaping.crop2d(y, 0, 0, h, w);
        y.release();
        return cropped;
    }

    private String stageName(Module stage) {
        return nameOf(this, stage);
    }

    /** One row of {@link #describe}: a layer, its output shape and its own parameter count. */
    public record Layer(String name, String type, int[] outputShape, long parameters) {}

    /**
     * {@return every layer in the order data flows through it, with its output shape for one {@code height × width}
     * image and its parameter count (shapes are computed, not run)}
     *
     * @param height input height in pixels
     * @param width  input width in pixels
     */
    public List<Layer> layers(int height, int width) {
        int hp = height + Math.floorMod(-height, 16);
        int wp = width + Math.floorMod(-width, 16);
        List<Layer> rows = new ArrayList<>();
        if (hp != height || wp != width) {
            rows.add(new Layer("pad", "zero pad bottom/right to a multiple of 16", new int[] {1, config.inChannels(), hp, wp}, 0));
        }
        for (Stage s : layout.stages()) {
            int h = hp / s.downscale();
            int w = wp / s.downscale();
            Module block = children().get(s.name());
            if (block instanceof UpTransition up) {
                addAll(rows, s.name(), up, up.beforeConcat(), s.out() / 2, h, w);
                rows.add(new Layer(s.name() + ".cat", "concat with skip", new int[] {1, s.out(), h, w}, 0));
                addAll(rows, s.name(), up, up.afterConcat(), s.out(), h, w);
            } else {
                addAll(rows, s.name(), block, dataFlow(block), s.out(), h, w);
            }
        }
        if (hp != height || wp != width) {
            rows.add(new Layer("crop", "crop back", new int[] {1, config.outChannels(), height, width}, 0));
        }
        return rows;
    }

    /** A module's children in the order data flows through them. */
    private static List<Module> dataFlow(Module m) {
        return m instanceof VNetBlocks.DataFlow f ? f.dataFlow() : List.copyOf(m.children().values());
    }

    /** Rows for {@code children} of {@code parent}, and their children in turn, all with output {@code [1, c, h, w]}. */
    private static void addAll(List<Layer> rows, String prefix, Module parent, List<Module> children, int c, int h, int w) {
        for (Module child : children) {
            String name = prefix + "." + nameOf(parent, child);
            // a container (even an empty one: no 5×5 convolutions in a stage) is its children's rows
            if (child instanceof Sequential || !child.children().isEmpty()) {
                addAll(rows, name, child, dataFlow(child), c, h, w);
            } else {
                rows.add(new Layer(name, child.toString(), new int[] {1, c, h, w}, ModuleTable.ownParameters(child)));
            }
        }
    }

    private static String nameOf(Module parent, Module child) {
        for (Map.Entry<String, Module> e : parent.children().entrySet()) {
            if (e.getValue() == child) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("VNet: " + child + " is not a child of " + parent.getClass().getSimpleName());
    }

    /**
     * {@return a table of every layer with its output shape for one {@code height × width} image and its parameter
     * count, then the totals}
     *
     * @param height input height in pixels
     * @param width  input width in pixels
     */
    public String describe(int height, int width) {
        List<ModuleTable.Row> rows = new ArrayList<>();
        for (Layer l : layers(height, width)) {
            rows.add(new ModuleTable.Row(l.name(), l.type(), l.outputShape(), l.parameters()));
        }
        return ModuleTable.format(rows, this, config.toString());
    }
}
