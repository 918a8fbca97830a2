/**
 * Layers as {@link dev.vnet.core.nn.Module}s named like {@code torch.nn}'s, so their parameter and buffer
 * names ({@code weight}, {@code bias}, {@code running_mean}, {@code running_var}, {@code num_batches_tracked})
 * and dotted paths match a PyTorch model of the same layout; a tree prints like PyTorch's, and
 * {@link dev.vnet.core.nn.ModuleTable} lists its layers with their output shapes and parameter counts.
 */
package dev.vnet.core.nn;
