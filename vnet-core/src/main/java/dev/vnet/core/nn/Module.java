package dev.vnet.core.nn;

import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a model tree, shaped like PyTorch's {@code torch.nn.Module}: it owns parameters
 * (learned), buffers (state such as batch norm's running statistics) and child modules, each under
 * a name; the dotted paths ({@code down2.convs.1.bn.running_mean}) are the keys of
 * {@link #parameters()} and {@link #stateDict()} and map one to one onto a PyTorch model of the same layout.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * Registers a parameter under {@code name}; returns it.
     *
     * @param name  the member name (no dots)
     * @param value the initial values
     * @return the new parameter
     */
    protected final Parameter registerParameter(String name, Tensor value) {
        checkName(name);
        Parameter p = new Parameter(value);
        params.put(name, p);
        return p;
    }

    /**
     * Registers a buffer (state saved with the model but not learned) under {@code name}; returns it.
     *
     * @param name  the member name (no dots)
     * @param value the buffer
     * @return {@code value}
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a child module under {@code name}; returns it.
     *
     * @param <M>   the child's type
     * @param name  the member name (no dots)
     * @param child the child module
     * @return {@code child}
     */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member name must be non-empty without '.': '" + name + "'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module member '" + name + "' is already registered");
        }
    }

    /** {@return every parameter of this module and its descendants, by dotted name, in registration order} */
    public final Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    /** {@return every parameter (as its tensor) and buffer, by dotted name: what a checkpoint stores} */
    public final Map<String, Tensor> stateDict() {
        Map<String, Parameter> p = new LinkedHashMap<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", p, out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> state) {
        for (var e : params.entrySet()) {
            ps.put(prefix + e.getKey(), e.getValue());
            if (state != null) {
                state.put(prefix + e.getKey(), e.getValue().value());
            }
        }
        if (state != null) {
            for (var e : buffers.entrySet()) {
                state.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (var e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", ps, state);
        }
    }

    /**
     * Copies values into this module's parameters and buffers by name.
     *
     * @param values tensors by dotted name, as {@link #stateDict()} returns them
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped entry
     */
    public final void loadStateDict(Map<String, Tensor> values) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = values.get(e.getKey());
            if (src == null) {
                problems.add("missing '" + e.getKey() + "'");
            } else if (!java.util.Arrays.equals(src.shape(), e.getValue().shape())) {
                problems.add("'" + e.getKey() + "' has shape " + java.util.Arrays.toString(src.shape())
                        + ", the model expects " + java.util.Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : values.keySet()) {
            if (!own.containsKey(k)) {
                problems.add("unexpected '" + k + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems));
        }
        for (var e : own.entrySet()) {
            System.arraycopy(values.get(e.getKey()).data(), 0, e.getValue().data(), 0, e.getValue().size());
        }
    }

    /** {@return the direct children, by name} */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * {@return this module under {@code ""} and every descendant under its dotted name ({@code stages.1.0.conv1}),
     * depth first in registration order, like PyTorch's {@code named_modules()}}
     */
    public final Map<String, Module> modules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String name, Module m, Map<String, Module> out) {
        out.put(name, m);
        for (var e : m.children.entrySet()) {
            collectModules(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), e.getValue(), out);
        }
    }

    /**
     * Switches this module and its descendants to training ({@code true}) or evaluation mode.
     *
     * @param on {@code true} for training mode, {@code false} for evaluation mode
     * @return {@code this}
     */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
        return this;
    }

    /**
     * Evaluation mode: batch norm uses running statistics, dropout is off.
     *
     * @return {@code this}
     */
    public final Module eval() {
        return train(false);
    }

    /** {@return whether this module is in training mode} */
    public final boolean isTraining() {
        return training;
    }

    /** Forgets every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters().values()) {
            p.value().zeroGrad();
        }
    }

    /** {@return the number of learnable values} */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters().values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * {@return the tree as PyTorch prints a model: the class's name, then each child as {@code (name): child} on a line
     * of its own, indented} Layers override it with their settings, e.g.
     * {@code Linear(in_features=64, out_features=2, bias=True)}; a module with no children and no override prints as
     * {@code Name()}.
     */
    @Override
    public String toString() {
        String type = getClass().getSimpleName().isEmpty() ? "Module" : getClass().getSimpleName();
        StringBuilder b = new StringBuilder(type).append('(');
        for (var e : children.entrySet()) {
            b.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return b.append(children.isEmpty() ? ")" : "\n)").toString();
    }

    /**
     * Runs the module.
     *
     * @param x the input, usually {@code [N, C, H, W]}
     * @return the output
     */
    public abstract Tensor forward(Tensor x);
}
