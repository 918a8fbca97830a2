/**
 * Losses on logits. For segmentation: {@link dev.vnet.core.loss.BceWithLogitsLoss},
 * {@link dev.vnet.core.loss.DiceLoss} and their sum {@link dev.vnet.core.loss.DiceBceLoss}; for classification:
 * {@link dev.vnet.core.loss.CrossEntropyLoss} (softmax cross-entropy with class weights and label smoothing). A NaN
 * or an infinity in their inputs or result raises {@link dev.vnet.core.loss.NonFiniteLossException}.
 */
package dev.vnet.core.loss;
