/**
 * The differentiable operations, one class per family, each op's forward and backward side by side:
 * {@link dev.vnet.core.ops.Convolution}, {@link dev.vnet.core.ops.Normalization},
 * {@link dev.vnet.core.ops.Activations}, {@link dev.vnet.core.ops.Elementwise},
 * {@link dev.vnet.core.ops.Reshaping}, {@link dev.vnet.core.ops.Reductions}, {@link dev.vnet.core.ops.Dropout},
 * and for classifiers {@link dev.vnet.core.ops.Pooling} and {@link dev.vnet.core.ops.Dense}.
 * Every op builds its result with {@link dev.vnet.core.tensor.Tensor#result} and a closure that adds its
 * inputs' gradients; shapes are in a comment above each one.
 */
package dev.vnet.core.ops;
