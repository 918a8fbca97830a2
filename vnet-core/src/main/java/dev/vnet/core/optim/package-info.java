/**
 * Optimisers that behave as {@code torch.optim}'s: {@link dev.vnet.core.optim.Adam} and
 * {@link dev.vnet.core.optim.Sgd}, whose state can be saved and restored by name for exact resumption.
 */
package dev.vnet.core.optim;
