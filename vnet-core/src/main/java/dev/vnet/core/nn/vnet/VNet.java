package dev.vnet.core.nn.vnet;

import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.Parameter;
import dev.vnet.core.nn.vnet.VNetBlocks.DownTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.InputTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.OutputTransition;
import dev.vnet.core.nn.vnet.VNetBlocks.UpTransition;
import dev.vnet.core.ops.Shapes;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private final InputTransition inTr;
    private final DownTransition downTr32;
    private final DownTransition downTr64;
    private final DownTransition downTr128;
    private final DownTransition downTr256;
    private final UpTransition upTr256;
    private final UpTransition upTr128;
    private final UpTransition upTr64;
    private final UpTransition upTr32;
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
        int b = config.baseWidth();
        var a = config.activation();
        int[] d = config.downConvs();
        int[] u = config.upConvs();
        float p = config.dropout();
        inTr = registerModule("in_tr", new InputTransition(config.inChannels(), b, a, rng));
        downTr32 = registerModule("down_tr32", new DownTransition(b, d[0], a, 0f, rng));
        downTr64 = registerModule("down_tr64", new DownTransition(2 * b, d[1], a, 0f, rng));
        downTr128 = registerModule("down_tr128", new DownTransition(4 * b, d[2], a, p, rng));
        downTr256 = registerModule("down_tr256", new DownTransition(8 * b, d[3], a, p, rng));
        upTr256 = registerModule("up_tr256", new UpTransition(16 * b, 16 * b, u[0], a, p, rng));
        upTr128 = registerModule("up_tr128", new UpTransition(16 * b, 8 * b, u[1], a, p, rng));
        upTr64 = registerModule("up_tr64", new UpTransition(8 * b, 4 * b, u[2], a, 0f, rng));
        upTr32 = registerModule("up_tr32", new UpTransition(4 * b, 2 * b, u[3], a, 0f, rng));
        outTr = registerModule("out_tr", new OutputTransition(2 * b, config.outChannels(), a, rng));
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
     * computed without building it} These hold nearly all of the model's values (the rest is a few per channel), so
     * a checkpoint can be checked against the configuration it claims before that model is allocated.
     *
     * @param config the layout
     * @throws IllegalArgumentException if a channel count of the layout does not fit an {@code int}
     */
    public static Map<String, int[]> convWeightShapes(VNetConfig config) {
        int b = config.baseWidth();
        int in = config.inChannels();
        int[] d = config.downConvs();
        int[] u = config.upConvs();
        if (b > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("VNet: baseWidth " + b + " is too large (16·baseWidth channels must fit"
                    + " an int)");
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        out.put("in_tr.conv_block.conv.weight", new int[] {b, in, 5, 5});
        if (b % in != 0) {
            out.put("in_tr.residual.weight", new int[] {b, in, 1, 1});
        }
        String[] downs = {"down_tr32", "down_tr64", "down_tr128", "down_tr256"};
        for (int i = 0; i < 4; i++) {
            int c = b << (i + 1);
            out.put(downs[i] + ".down_conv.weight", new int[] {c, c / 2, 2, 2});
            putOps(out, downs[i], c, d[i]);
        }
        // Up stage i takes upIn channels and gives upOut (half from the transposed conv, half from the skip).
        String[] ups = {"up_tr256", "up_tr128", "up_tr64", "up_tr32"};
        int[] upIn = {16 * b, 16 * b, 8 * b, 4 * b};
        int[] upOut = {16 * b, 8 * b, 4 * b, 2 * b};
        for (int i = 0; i < 4; i++) {
            out.put(ups[i] + ".up_conv.weight", new int[] {upIn[i], upOut[i] / 2, 2, 2});
            putOps(out, ups[i], upOut[i], u[i]);
        }
        out.put("out_tr.conv_block.conv.weight", new int[] {config.outChannels(), 2 * b, 5, 5});
        out.put("out_tr.conv2.weight", new int[] {config.outChannels(), config.outChannels(), 1, 1});
        return out;
    }

    private static void putOps(Map<String, int[]> out, String stage, int channels, int count) {
        for (int j = 0; j < count; j++) {
            out.put(stage + ".ops." + j + ".conv_block.conv.weight", new int[] {channels, channels, 5, 5});
        }
    }

    /** {@return the configuration this model was built from} */
    public VNetConfig config() {
        return config;
    }

    /**
     * The logits for a batch of images.
     *
     * @param x [n, inChannels, h, w], any h and w
     * @return [n, outChannels, h, w]
     */
    @Override
    public Tensor forward(Tensor x) {
        Shape.requireRank("VNet", "input", x, 4);
        if (x.dim(1) != config.inChannels()) {
            throw new IllegalArgumentException("VNet: input has " + x.dim(1) + " channels (shape "
                    + Shape.toString(x.shape()) + "), the model takes " + config.inChannels());
        }
        int h = x.dim(2);
        int w = x.dim(3);
        int padH = Math.floorMod(-h, 16);
        int padW = Math.floorMod(-w, 16);
        Tensor in = padH == 0 && padW == 0 ? x : Shapes.pad2d(x, 0, padH, 0, padW);
        Tensor out16 = inTr.forward(in);
        Tensor out32 = downTr32.forward(out16);
        Tensor out64 = downTr64.forward(out32);
        Tensor out128 = downTr128.forward(out64);
        Tensor out256 = downTr256.forward(out128);
        Tensor y = upTr256.forward(out256, out128);
        y = upTr128.forward(y, out64);
        y = upTr64.forward(y, out32);
        y = upTr32.forward(y, out16);
        y = outTr.forward(y);
        return padH == 0 && padW == 0 ? y : Shapes.crop2d(y, 0, 0, h, w);
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
        int b = config.baseWidth();
        List<Layer> rows = new ArrayList<>();
        if (hp != height || wp != width) {
            rows.add(new Layer("pad", "zero pad bottom/right to a multiple of 16", new int[] {1, config.inChannels(), hp, wp}, 0));
        }
        addAll(rows, "in_tr", inTr, b, hp, wp);
        DownTransition[] downs = {downTr32, downTr64, downTr128, downTr256};
        String[] downNames = {"down_tr32", "down_tr64", "down_tr128", "down_tr256"};
        int c = b;
        int h = hp;
        int w = wp;
        for (int i = 0; i < 4; i++) {
            c *= 2;
            h /= 2;
            w /= 2;
            addAll(rows, downNames[i], downs[i], c, h, w);
        }
        UpTransition[] ups = {upTr256, upTr128, upTr64, upTr32};
        String[] upNames = {"up_tr256", "up_tr128", "up_tr64", "up_tr32"};
        int[] outs = {16 * b, 8 * b, 4 * b, 2 * b};
        for (int i = 0; i < 4; i++) {
            h *= 2;
            w *= 2;
            Module up = ups[i];
            for (var e : dataFlowOrder(up)) {
                String name = upNames[i] + "." + e.getKey();
                int ch = e.getKey().equals("up_conv") || e.getKey().equals("bn1") || e.getKey().equals("act_function1")
                        ? outs[i] / 2 : outs[i];
                addModule(rows, name, e.getValue(), ch, h, w);
                if (e.getKey().equals("act_function1")) {
                    rows.add(new Layer(upNames[i] + ".cat", "concat with skip", new int[] {1, outs[i], h, w}, 0));
                }
            }
        }
        addAll(rows, "out_tr", outTr, config.outChannels(), h, w);
        if (hp != height || wp != width) {
            rows.add(new Layer("crop", "crop back", new int[] {1, config.outChannels(), height, width}, 0));
        }
        return rows;
    }

    /** A block's children in the order data flows through them (registration order follows MONAI's code instead). */
    private static List<Map.Entry<String, Module>> dataFlowOrder(Module m) {
        List<Map.Entry<String, Module>> out = new ArrayList<>(m.children().entrySet());
        out.sort(java.util.Comparator.comparingInt(e -> switch (e.getKey()) {
            case "residual", "down_conv", "up_conv", "conv_block", "conv" -> 0;
            case "bn1", "adn", "N" -> 1;
            case "act_function1" -> 2;
            case "dropout" -> 3;
            case "ops" -> 4;
            case "act_function", "act_function2" -> 5;
            default -> 6;
        }));
        return out;
    }

    private static void addAll(List<Layer> rows, String prefix, Module m, int c, int h, int w) {
        for (var e : dataFlowOrder(m)) {
            addModule(rows, prefix + "." + e.getKey(), e.getValue(), c, h, w);
        }
    }

    private static void addModule(List<Layer> rows, String name, Module m, int c, int h, int w) {
        if (m instanceof dev.vnet.core.nn.Sequential || m instanceof VNetBlocks.LUConv || m instanceof VNetBlocks.ConvBlock
                || m instanceof VNetBlocks.Adn) {
            for (var e : dataFlowOrder(m)) {
                addModule(rows, name + "." + e.getKey(), e.getValue(), c, h, w);
            }
            return;
        }
        rows.add(new Layer(name, m.toString(), new int[] {1, c, h, w}, ownParameters(m)));
    }

    private static long ownParameters(Module m) {
        long n = 0;
        for (Parameter p : m.parameters().values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * {@return a table of every layer with its output shape for one {@code height × width} image and its parameter
     * count, then the totals}
     *
     * @param height input height in pixels
     * @param width  input width in pixels
     */
    public String describe(int height, int width) {
        List<Layer> rows = layers(height, width);
        int nameW = "layer".length();
        int typeW = "type".length();
        for (Layer l : rows) {
            nameW = Math.max(nameW, l.name().length());
            typeW = Math.max(typeW, l.type().length());
        }
        typeW = Math.min(typeW, 72);
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %-20s  %,12d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameW + "s  %-" + typeW + "s  %-20s  %12s%n", "layer", "type",
                "output shape", "parameters"));
        long total = 0;
        for (Layer l : rows) {
            String type = l.type().length() > typeW ? l.type().substring(0, typeW - 1) + "…" : l.type();
            sb.append(String.format(Locale.ROOT, fmt, l.name(), type, Shape.toString(l.outputShape()), l.parameters()));
            total += l.parameters();
        }
        long buffers = 0;
        for (Map.Entry<String, Tensor> e : stateDict().entrySet()) {
            buffers += e.getValue().size();
        }
        buffers -= total;
        sb.append(String.format(Locale.ROOT, "%s%ntrainable parameters: %,d   buffers (batch norm statistics): %,d   %s%n",
                "-".repeat(nameW + typeW + 38), total, buffers, config));
        return sb.toString();
    }
}
