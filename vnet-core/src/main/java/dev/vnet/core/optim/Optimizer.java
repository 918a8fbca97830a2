package dev.vnet.core.optim;

import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.Parameter;
import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates a model's parameters from their gradients. It sees the parameters by their dotted names,
 * and keeps its per-parameter state (moment estimates, momentum buffers, step counts) under
 * {@code "<parameter>.<slot>"} keys, e.g. {@code "down1.conv.weight.exp_avg"}, so a checkpoint can save
 * it with {@link #stateDict()} and a resumed run continue exactly where it stopped with
 * {@link #loadStateDict(Map)}.
 */
public abstract class Optimizer {
    private final Map<String, Parameter> params;
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private double lr;

    /**
     * @param params the parameters to update, by name (usually {@link Module#parameters()})
     * @param lr     the learning rate, {@code > 0}
     */
    protected Optimizer(Map<String, Parameter> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimise");
        }
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        setLr(lr);
    }

    /** {@return the learning rate} */
    public final double lr() {
        return lr;
    }

    /**
     * Changes the learning rate (for a schedule); takes effect at the next {@link #step()}.
     *
     * @param lr the new learning rate, {@code > 0}
     */
    public final void setLr(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be a finite number > 0, got " + lr);
        }
        this.lr = lr;
    }

    /** {@return the parameters, by name} */
    public final Map<String, Parameter> parameters() {
        return params;
    }

    /** Forgets every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : params.values()) {
            p.value().zeroGrad();
        }
    }

    /** Updates every parameter that has a gradient; parameters without one are left alone, as in PyTorch. */
    public final void step() {
        for (var e : params.entrySet()) {
            Parameter p = e.getValue();
            if (p.grad() != null) {
                update(e.getKey(), p.data(), p.grad());
            }
        }
    }

    /**
     * Updates one parameter in place.
     *
     * @param name  the parameter's dotted name, the prefix of its state keys
     * @param param its values, updated
     * @param grad  its gradient, not modified
     */
    protected abstract void update(String name, float[] param, float[] grad);

    /** {@return the state slot names this optimiser keeps per parameter ({@code "exp_avg"}, ...)} */
    protected abstract Set<String> slots();

    /**
     * {@return the per-parameter state {@code name.slot}, or {@code null} if it has not been created yet}
     *
     * @param name the parameter's name
     * @param slot the slot name
     */
    protected final float[] state(String name, String slot) {
        Tensor t = state.get(name + "." + slot);
        return t == null ? null : t.data();
    }

    /**
     * {@return the per-parameter state {@code name.slot}, created filled with zeros of the given shape if absent}
     *
     * @param name  the parameter's name
     * @param slot  the slot name
     * @param shape the parameter's shape
     */
    protected final float[] stateOrZeros(String name, String slot, int... shape) {
        return state.computeIfAbsent(name + "." + slot, k -> Tensor.zeros(shape)).data();
    }

    /**
     * {@return a copy of the optimiser's state: for each parameter that has been updated, its slots as tensors under
     * {@code "<parameter>.<slot>"}} The learning rate and other hyper-parameters are not included.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            out.put(e.getKey(), Tensor.of(e.getValue().data(), e.getValue().shape()));
        }
        return out;
    }

    /**
     * Replaces the optimiser's state with a copy of {@code saved} (from {@link #stateDict()}).
     *
     * @param saved a state as {@link #stateDict()} returns it
     * @throws IllegalArgumentException naming every key that matches no parameter and slot, or has the wrong shape
     */
    public final void loadStateDict(Map<String, Tensor> saved) {
        List<String> problems = new ArrayList<>();
        for (var e : saved.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            String name = dot < 0 ? "" : key.substring(0, dot);
            String slot = dot < 0 ? key : key.substring(dot + 1);
            Parameter p = params.get(name);
            if (p == null || !slots().contains(slot)) {
                problems.add("unexpected '" + key + "' (no parameter '" + name + "' with slot '" + slot + "'; slots are "
                        + slots() + ")");
                continue;
            }
            int[] expected = "step".equals(slot) ? new int[0] : p.shape();
            if (!Arrays.equals(e.getValue().shape(), expected)) {
                problems.add("'" + key + "' has shape " + Shape.toString(e.getValue().shape()) + ", expected "
                        + Shape.toString(expected));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: " + String.join("; ", problems));
        }
        state.clear();
        for (var e : saved.entrySet()) {
            state.put(e.getKey(), Tensor.of(e.getValue().data(), e.getValue().shape()));
        }
    }
}
