/**
 * Segmentation losses on logits: {@link dev.vnet.core.loss.BceWithLogitsLoss},
 * {@link dev.vnet.core.loss.DiceLoss} and their sum {@link dev.vnet.core.loss.DiceBceLoss}. A NaN or an
 * infinity in their inputs or result raises {@link dev.vnet.core.loss.NonFiniteLossException}.
 */
package dev.vnet.core.loss;
