package dev.vnet.core.autograd;

/**
 * Where {@link dev.vnet.core.tensor.GradMode} used to be; the graph lives with the tensors.
 *
 * @deprecated use {@link dev.vnet.core.tensor.GradMode}
 */
@Deprecated(forRemoval = true)
public final class GradMode {

    private GradMode() {}

    /** {@return whether ops on this thread record a graph} */
    public static boolean isEnabled() {
        return dev.vnet.core.tensor.GradMode.isEnabled();
    }

    /** {@return a scope that turns recording off until it is closed} See {@link dev.vnet.core.tensor.GradMode#noGrad()}. */
    public static dev.vnet.core.tensor.GradMode.Scope noGrad() {
        return dev.vnet.core.tensor.GradMode.noGrad();
    }
}
