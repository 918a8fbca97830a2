package dev.vnet.onnx;

import com.google.protobuf.ByteString;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.nn.vnet.VNetLayout.Stage;
import dev.vnet.core.ops.Normalization;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.onnx.proto.Onnx.AttributeProto;
import dev.vnet.onnx.proto.Onnx.GraphProto;
import dev.vnet.onnx.proto.Onnx.NodeProto;
import dev.vnet.onnx.proto.Onnx.TensorProto;
import dev.vnet.onnx.proto.Onnx.TensorShapeProto;
import dev.vnet.onnx.proto.Onnx.TypeProto;
import dev.vnet.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX graph of {@link VNet#forward} in evaluation mode, node for node: the zero padding to a multiple of 16,
 * every stage of {@link dev.vnet.core.nn.vnet.VNetLayout} (batch norms with their running statistics, dropout left
 * out as evaluation mode leaves it out), the crop back, and a sigmoid for the probabilities.
 *
 * <p>The weights are initializers named by their state-dict keys (MONAI's names), so a value in the ONNX file can be
 * found by the same name in the checkpoint. A node's output is named after the module that computes it.
 */
final class VNetGraph {
    private final VNet model;
    private final VNetConfig config;
    private final Map<String, Tensor> state;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> initializers = new HashSet<>();
    private final Set<String> values = new HashSet<>();

    private VNetGraph(VNet model) {
        this.model = model;
        this.config = model.config();
        this.state = model.stateDict();
    }

    /** {@return the graph of {@code model}'s evaluation-mode forward pass, with its weights} */
    static GraphProto of(VNet model) {
        return new VNetGraph(model).build();
    }

    private GraphProto build() {
        graph.setName("vnet");
        graph.addInput(valueInfo(OnnxExport.INPUT, config.inChannels()));
        graph.addOutput(valueInfo(OnnxExport.LOGITS, config.outChannels()));
        graph.addOutput(valueInfo(OnnxExport.PROBABILITIES, config.outChannels()));

        // [h, w] of the input, and the zeros that VNet.forward adds at the bottom and right: (−h) mod 16 rows and
        // (−w) mod 16 columns (ONNX's integer Mod takes the divisor's sign, as Math.floorMod does).
        String shape = node("Shape", "input.shape", OnnxExport.INPUT);
        String hw = node("Slice", "input.hw", shape, longs("const.2", 2), longs("const.4", 4), longs("const.0", 0));
        String extra = node("Mod", "pad.extra", node("Neg", "pad.neg", hw), longs("const.16", 16));
        String pads = node("Concat", "pad.pads", new Object[] {intAttr("axis", 0)}, longs("const.zeros6", 0, 0, 0, 0, 0, 0),
                extra);
        String y = node("Pad", "pad", OnnxExport.INPUT, pads);

        Deque<String> skips = new ArrayDeque<>();
        for (Stage s : model.layout().stages()) {
            switch (s.kind()) {
                case INPUT -> y = input(s, y);
                case DOWN -> {
                    skips.push(y);
                    y = down(s, y);
                }
                case UP -> y = up(s, y, skips.pop());
                case OUTPUT -> y = output(s, y);
            }
        }
        node("Slice", OnnxExport.LOGITS, y, longs("const.zeros2", 0, 0), hw, longs("const.2_3", 2, 3));
        node("Sigmoid", OnnxExport.PROBABILITIES, OnnxExport.LOGITS);
        return graph.build();
    }

    /** act(bn(conv5×5(x)) + x repeated across the channels, or its 1×1 projection). */
    private String input(Stage s, String x) {
        String p = s.name();
        String conv = bn(p + ".conv_block.adn.N", conv(p + ".conv_block.conv", x, 5, 1, 2));
        String residual = s.out() % s.in() == 0
                ? node("Tile", p + ".repeat", x, longs("const.repeat_" + s.out() / s.in(), 1, s.out() / s.in(), 1, 1))
                : conv(p + ".residual", x, 1, 1, 0);
        return act(p + ".act_function", node("Add", p + ".sum", conv, residual));
    }

    private String down(Stage s, String x) {
        String p = s.name();
        String down = act(p + ".act_function1", bn(p + ".bn1", conv(p + ".down_conv", x, 2, 2, 0)));
        return act(p + ".act_function2", node("Add", p + ".sum", ops(p, s.convs(), down), down));
    }

    private String up(Stage s, String x, String skip) {
        String p = s.name();
        String upConv = node("ConvTranspose", p + ".up_conv",
                new Object[] {ints("kernel_shape", 2, 2), ints("strides", 2, 2)},
                x, weight(p + ".up_conv.weight"), weight(p + ".up_conv.bias"));
        String up = act(p + ".act_function1", bn(p + ".bn1", upConv));
        String cat = node("Concat", p + ".cat", new Object[] {intAttr("axis", 1)}, up, skip);
        return act(p + ".act_function2", node("Add", p + ".sum", ops(p, s.convs(), cat), cat));
    }

    /** conv2(act(bn(conv5×5(x)))): the logits, before the crop. */
    private String output(Stage s, String x) {
        String p = s.name();
        String y = act(p + ".act_function1", bn(p + ".conv_block.adn.N", conv(p + ".conv_block.conv", x, 5, 1, 2)));
        return conv(p + ".conv2", y, 1, 1, 0);
    }

    /** The {@code LUConv}s of a stage: act(bn(conv5×5(x))) each. */
    private String ops(String prefix, int count, String x) {
        for (int i = 0; i < count; i++) {
            String p = prefix + ".ops." + i;
            x = act(p + ".act_function", bn(p + ".conv_block.adn.N", conv(p + ".conv_block.conv", x, 5, 1, 2)));
        }
        return x;
    }

    /** A square convolution; its bias is added when the state dict has one. */
    private String conv(String module, String x, int kernel, int stride, int pad) {
        Object[] attrs = {ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad)};
        return state.containsKey(module + ".bias")
                ? node("Conv", module, attrs, x, weight(module + ".weight"), weight(module + ".bias"))
                : node("Conv", module, attrs, x, weight(module + ".weight"));
    }

    /** Batch norm in inference form: the running statistics, as {@code BatchNorm2d} in evaluation mode. */
    private String bn(String module, String x) {
        return node("BatchNormalization", module, new Object[] {floatAttr("epsilon", Normalization.DEFAULT_EPS)}, x,
                weight(module + ".weight"), weight(module + ".bias"), weight(module + ".running_mean"),
                weight(module + ".running_var"));
    }

    private String act(String module, String x) {
        return switch (config.activation()) {
            case RELU -> node("Relu", module, x);
            // PyTorch's slope [C] as [C, 1, 1], which ONNX broadcasts over [N, C, H, W]
            case PRELU -> node("PRelu", module, x, weight(module + ".weight", 1, 1));
            case ELU -> node("Elu", module, new Object[] {floatAttr("alpha", 1f)}, x);
        };
    }

    private String node(String op, String output, String... inputs) {
        return node(op, output, new Object[0], inputs);
    }

    private String node(String op, String output, Object[] attributes, String... inputs) {
        if (!values.add(output)) {
            throw new IllegalStateException("ONNX export: two nodes compute '" + output + "'");
        }
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Object a : attributes) {
            n.addAttribute((AttributeProto) a);
        }
        graph.addNode(n);
        return output;
    }

    /** The state-dict tensor {@code key} as an initializer of the same name, its shape extended by {@code trailing}. */
    private String weight(String key, int... trailing) {
        if (initializers.add(key)) {
            Tensor t = state.get(key);
            if (t == null) {
                throw new IllegalStateException("ONNX export: the model " + config + " has no tensor '" + key + "'");
            }
            TensorProto.Builder b = TensorProto.newBuilder().setName(key).setDataType(TensorProto.DataType.FLOAT_VALUE);
            for (int d : t.shape()) {
                b.addDims(d);
            }
            for (int d : trailing) {
                b.addDims(d);
            }
            float[] data = t.data();
            ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(data);
            graph.addInitializer(b.setRawData(ByteString.copyFrom(raw.array())));
        }
        return key;
    }

    /** An int64 vector constant. */
    private String longs(String name, long... v) {
        if (initializers.add(name)) {
            TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(v.length);
            for (long x : v) {
                b.addInt64Data(x);
            }
            graph.addInitializer(b);
        }
        return name;
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    /** A float32 {@code [batch, channels, height, width]} value whose batch, height and width vary. */
    private static ValueInfoProto valueInfo(String name, int channels) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("height"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("width"));
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
