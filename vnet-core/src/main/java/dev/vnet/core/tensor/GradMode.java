package dev.vnet.core.tensor;

/**
 * Whether ops record a graph, per thread. Inference runs inside {@link #noGrad()} so nothing is
 * recorded and no memory is held for a backward pass:
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *     Tensor logits = model.forward(x);
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** {@return whether ops on this thread record a graph} */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * Turns recording off until the returned scope is closed, then restores the previous state.
     *
     * @return a scope whose {@code close()} turns recording back to what it was
     */
    public static Scope noGrad() {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = false;
        return () -> flag[0] = previous;
    }

    /** A scope that restores grad mode when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
