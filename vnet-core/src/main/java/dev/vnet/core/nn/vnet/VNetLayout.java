package dev.vnet.core.nn.vnet;

import dev.vnet.core.kernels.ConvGeometry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of a V-Net of a {@link VNetConfig}, written out once: {@link VNet} builds its blocks from them, and
 * the weight shapes of a checkpoint ({@link #convWeightShapes()}), the table of {@link VNet#layers} and the
 * convolutions a benchmark times ({@link #convLayers}) are read from them.
 *
 * <p>Stage {@code i} takes the output of stage {@code i − 1}. The names are MONAI's state-dict prefixes, the same
 * whatever the base width.
 *
 * @param config the configuration the stages are derived from
 * @param stages input transition, four down stages, four up stages, output transition, in the order data flows
 */
public record VNetLayout(VNetConfig config, List<Stage> stages) {

    /** What a stage does (see {@link VNet}). */
    public enum Kind {
        /** 5×5 convolution to the base width, plus the input repeated or projected. */
        INPUT,
        /** 2×2 stride-2 convolution doubling the channels, then 5×5 convolutions and a residual sum. */
        DOWN,
        /**
         * 2×2 stride-2 transposed convolution to half the output channels, concatenation with the down path's output
         * of the same size (the other half), then 5×5 convolutions and a residual sum.
         */
        UP,
        /** 5×5 convolution to the output channels, then a 1×1 convolution with bias: the logits. */
        OUTPUT
    }

    /**
     * One stage.
     *
     * @param name     the state-dict prefix, e.g. {@code down_tr64}
     * @param kind     what the stage does
     * @param in       input channels
     * @param out      output channels
     * @param convs    the number of 5×5 convolutions in its {@code ops} (0 for the input and output transitions)
     * @param dropout  its 2D dropout probability, 0 = none
     * @param downscale how many times smaller than the (padded) input its output is in each direction
     */
    public record Stage(String name, Kind kind, int in, int out, int convs, float dropout, int downscale) {}

    private static final String[] DOWN_NAMES = {"down_tr32", "down_tr64", "down_tr128", "down_tr256"};
    private static final String[] UP_NAMES = {"up_tr256", "up_tr128", "up_tr64", "up_tr32"};

    /**
     * Keeps an unmodifiable copy of the stages.
     *
     * @param config the configuration the stages come from
     * @param stages the stages in data-flow order
     */
    public VNetLayout {
        stages = List.copyOf(stages);
    }

    /**
     * {@return the stages of a V-Net of {@code config}}
     *
     * @param config the configuration
     * @throws IllegalArgumentException if a channel count of the layout does not fit an {@code int}
     */
    public static VNetLayout of(VNetConfig config) {
        int b = config.baseWidth();
        if (b > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException("VNet: baseWidth " + b + " is too large (16·baseWidth channels must fit"
                    + " an int)");
        }
        int[] d = config.downConvs();
        int[] u = config.upConvs();
        float p = config.dropout();
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("in_tr", Kind.INPUT, config.inChannels(), b, 0, 0f, 1));
        // dropout in the two deepest down and up stages
        for (int i = 0; i < 4; i++) {
            int c = b << (i + 1);
            stages.add(new Stage(DOWN_NAMES[i], Kind.DOWN, c / 2, c, d[i], i >= 2 ? p : 0f, 1 << (i + 1)));
        }
        int in = 16 * b;
        for (int i = 0; i < 4; i++) {
            int out = (16 * b) >> i;
            stages.add(new Stage(UP_NAMES[i], Kind.UP, in, out, u[i], i < 2 ? p : 0f, 8 >> i));
            in = out;
        }
        stages.add(new Stage("out_tr", Kind.OUTPUT, 2 * b, config.outChannels(), 0, 0f, 1));
        return new VNetLayout(config, stages);
    }

    /** {@return the stages of one kind, in data-flow order} */
    List<Stage> stages(Kind kind) {
        return stages.stream().filter(s -> s.kind() == kind).toList();
    }

    /**
     * A convolution of the model at a given input size.
     *
     * @param name       the module's state-dict prefix, e.g. {@code down_tr64.ops.0.conv_block.conv}
     * @param geometry   its sizes; for a transposed convolution, those of the convolution it is the gradient of
     *                   (input: the transposed convolution's output), as everywhere in the engine
     * @param transposed whether the layer is the transposed convolution of {@code geometry}
     */
    public record ConvLayer(String name, ConvGeometry geometry, boolean transposed) {

        /**
         * {@return a short label of the kind and the input's channels and size} For example {@code conv5x5_32x128}
         * (32 channels in and out at 128×128), {@code conv5x5_32to1x256} (32 in, 1 out), {@code down2x2_16x256}
         * (16 channels at 256×256, to twice the channels at half the size) or {@code up2x2_64x128}; the size is
         * {@code HxW} when not square. Layers of the same sizes have the same label.
         */
        public String label() {
            ConvGeometry g = geometry;
            boolean down = !transposed && (g.strideH() > 1 || g.strideW() > 1);
            String kind = transposed ? "up" : down ? "down" : "conv";
            int in = transposed ? g.k() : g.c();
            int out = transposed ? g.c() : g.k();
            String channels = transposed || down || in == out ? String.valueOf(in) : in + "to" + out;
            int h = transposed ? g.p() : g.h();
            int w = transposed ? g.q() : g.w();
            return kind + g.r() + "x" + g.s() + "_" + channels + "x" + (h == w ? String.valueOf(h) : h + "x" + w);
        }
    }

    /**
     * {@return every convolution of the model, in registration order, with its sizes for a batch of {@code batch}
     * images of {@code height × width} pixels (padded, as {@link VNet#forward} pads them, to a multiple of 16)}
     *
     * @param batch  images per batch, at least 1
     * @param height input height in pixels, at least 1
     * @param width  input width in pixels, at least 1
     */
    public List<ConvLayer> convLayers(int batch, int height, int width) {
        if (batch < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("VNet: convLayers needs batch, height and width >= 1, got " + batch
                    + ", " + height + ", " + width);
        }
        int hp = height + Math.floorMod(-height, 16);
        int wp = width + Math.floorMod(-width, 16);
        List<ConvLayer> out = new ArrayList<>();
        for (Stage s : stages) {
            int h = hp / s.downscale(), w = wp / s.downscale();
            switch (s.kind()) {
                case INPUT -> {
                    out.add(conv(s.name() + ".conv_block.conv", batch, s.in(), h, w, s.out(), 5));
                    if (s.out() % s.in() != 0) {
                        out.add(conv(s.name() + ".residual", batch, s.in(), h, w, s.out(), 1));
                    }
                }
                case DOWN -> {
                    out.add(new ConvLayer(s.name() + ".down_conv",
                            new ConvGeometry(batch, s.in(), 2 * h, 2 * w, s.out(), 2, 2, 2, 2, 0, 0), false));
                    addOps(out, s, batch, h, w);
                }
                case UP -> {
                    out.add(new ConvLayer(s.name() + ".up_conv",
                            new ConvGeometry(batch, s.out() / 2, h, w, s.in(), 2, 2, 2, 2, 0, 0), true));
                    addOps(out, s, batch, h, w);
                }
                case OUTPUT -> {
                    out.add(conv(s.name() + ".conv_block.conv", batch, s.in(), h, w, s.out(), 5));
                    out.add(conv(s.name() + ".conv2", batch, s.out(), h, w, s.out(), 1));
                }
            }
        }
        return out;
    }

    private static void addOps(List<ConvLayer> out, Stage s, int batch, int h, int w) {
        for (int j = 0; j < s.convs(); j++) {
            out.add(conv(s.name() + ".ops." + j + ".conv_block.conv", batch, s.out(), h, w, s.out(), 5));
        }
    }

    /** A stride-1 convolution that keeps the size ({@code kernel} odd, padded by half of it). */
    private static ConvLayer conv(String name, int batch, int in, int h, int w, int out, int kernel) {
        return new ConvLayer(name, new ConvGeometry(batch, in, h, w, out, kernel, kernel, 1, 1, kernel / 2, kernel / 2),
                false);
    }

    /**
     * {@return the name and shape of every convolution weight, in registration order} These hold nearly all of the
     * model's values (the rest is a few per channel), so a checkpoint can be checked against the configuration it
     * claims before that model is allocated.
     */
    public Map<String, int[]> convWeightShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (ConvLayer l : convLayers(1, 16, 16)) {
            ConvGeometry g = l.geometry();
            // [k, c, r, s] either way: a transposed convolution's weight [in, out, r, s] is that of its gradient's
            out.put(l.name() + ".weight", new int[] {g.k(), g.c(), g.r(), g.s()});
        }
        return out;
    }
}
