package dev.vnet.core.nn;

import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after the other, named {@code "0"}, {@code "1"}, ... like {@code torch.nn.Sequential}. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /**
     * A sequence of the given modules.
     *
     * @param modules the modules, named 0, 1, 2, ... in this order
     */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Appends a module under the next index; returns {@code this}.
     *
     * @param module the module to append
     * @return {@code this}
     */
    public Sequential add(Module module) {
        if (module == null) {
            throw new IllegalArgumentException("Sequential: module " + layers.size() + " is null");
        }
        layers.add(registerModule(String.valueOf(layers.size()), module));
        return this;
    }

    /**
     * {@return the module at {@code index}}
     *
     * @param index 0-based position
     */
    public Module get(int index) {
        return layers.get(index);
    }

    /** {@return the number of modules} */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) {
            Tensor next = m.forward(y);
            // an intermediate output (not the input, which the caller may still need) ends with the next layer;
            // in inference inside a BufferPool its array is reused from here on (Tensor.release)
            if (y != x && y != next) {
                y.release();
            }
            y = next;
        }
        return y;
    }
}
