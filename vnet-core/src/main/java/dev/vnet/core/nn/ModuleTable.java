package dev.vnet.core.nn;

import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table a {@code describe} command prints for a model: one row per layer with its output shape and its own
 * parameter count, then the totals. {@link #of(Module, int...)} builds it for any module tree by running one
 * forward pass on zeros (in evaluation mode, without a graph): the layers of a {@link Sequential}, at any depth,
 * each get their output shape; a module with its own {@code forward} gets one row with its output shape, followed
 * by its layers with their parameters (their shapes depend on its code and are not shown).
 */
public final class ModuleTable {
    /** The name of the row of the model itself, when it is not a {@link Sequential}. */
    public static final String ROOT = "(model)";

    private ModuleTable() {}

    /**
     * One row: a layer, its output shape and the parameters it holds itself (not those of its children).
     *
     * @param name        the dotted name, as in {@link Module#stateDict()}
     * @param type        what the layer is ({@code Linear(in_features=64, out_features=2, bias=True)})
     * @param outputShape its output's shape for the input the table was made for, or {@code null} where not known
     * @param parameters  the number of learnable values it holds itself
     */
    public record Row(String name, String type, int[] outputShape, long parameters) {}

    /**
     * {@return the rows of {@code model} for one input of {@code inputShape}, in the order data flows through a
     * {@link Sequential}, registration order elsewhere} The model runs once on zeros in evaluation mode (so batch norm
     * statistics and dropout draws do not change) and is put back in the mode of its root afterwards.
     *
     * @param model      the model
     * @param inputShape the input's shape, e.g. {@code [1, 3, 64, 64]}
     */
    public static List<Row> of(Module model, int... inputShape) {
        boolean training = model.isTraining();
        List<Row> rows = new ArrayList<>();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            walk("", model, Tensor.zeros(inputShape), rows);
        } finally {
            model.train(training);
        }
        return rows;
    }

    /** Adds the rows of {@code m} given its input {@code x}; returns its output. */
    private static Tensor walk(String name, Module m, Tensor x, List<Row> rows) {
        if (m instanceof Sequential s) {
            Tensor y = x;
            for (var e : s.children().entrySet()) {
                y = walk(join(name, e.getKey()), e.getValue(), y, rows);
            }
            return y;
        }
        Tensor y = m.forward(x);
        boolean composite = !m.children().isEmpty();
        String type = composite ? m.getClass().getSimpleName() : m.toString();
        rows.add(new Row(name.isEmpty() ? ROOT : name, type, y.shape(), ownParameters(m)));
        if (composite) {
            for (var e : m.modules().entrySet()) {
                if (!e.getKey().isEmpty()) {
                    Module child = e.getValue();
                    String childType = child.children().isEmpty() ? child.toString() : child.getClass().getSimpleName();
                    rows.add(new Row(join(name, e.getKey()), childType, null, ownParameters(child)));
                }
            }
        }
        return y;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /**
     * {@return the number of learnable values {@code m} registered itself, not counting its children's}
     *
     * @param m a module
     */
    public static long ownParameters(Module m) {
        long n = 0;
        for (Map.Entry<String, Parameter> e : m.parameters().entrySet()) {
            if (!e.getKey().contains(".")) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    /**
     * {@return the table of {@link #of(Module, int...)} as text, with the totals of {@code model}}
     *
     * @param model      the model
     * @param inputShape the input's shape, e.g. {@code [1, 3, 64, 64]}
     */
    public static String describe(Module model, int... inputShape) {
        return format(of(model, inputShape), model, "input " + Shape.toString(inputShape));
    }

    /**
     * {@return {@code rows} as an aligned text table (columns layer, type, output shape, parameters; a type longer
     * than 72 characters is cut), then a rule and a line with the trainable parameters of {@code model}, its buffers
     * (batch norm statistics) and {@code note}}
     *
     * @param rows  the rows, in the order to print them
     * @param model the model whose totals the last line gives
     * @param note  appended to the last line (the model's configuration, the input shape)
     */
    public static String format(List<Row> rows, Module model, String note) {
        int nameW = "layer".length();
        int typeW = "type".length();
        for (Row r : rows) {
            nameW = Math.max(nameW, r.name().length());
            typeW = Math.max(typeW, r.type().length());
        }
        typeW = Math.min(typeW, 72);
        String fmt = "%-" + nameW + "s  %-" + typeW + "s  %-20s  %,12d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-" + nameW + "s  %-" + typeW + "s  %-20s  %12s%n", "layer", "type",
                "output shape", "parameters"));
        for (Row r : rows) {
            String type = r.type().length() > typeW ? r.type().substring(0, typeW - 1) + "…" : r.type();
            String shape = r.outputShape() == null ? "" : Shape.toString(r.outputShape());
            sb.append(String.format(Locale.ROOT, fmt, r.name(), type, shape, r.parameters()));
        }
        long parameters = model.parameterCount();
        long buffers = -parameters;
        for (Tensor t : model.stateDict().values()) {
            buffers += t.size();
        }
        sb.append(String.format(Locale.ROOT, "%s%ntrainable parameters: %,d   buffers (batch norm statistics): %,d   %s%n",
                "-".repeat(nameW + typeW + 38), parameters, buffers, note));
        return sb.toString();
    }
}
