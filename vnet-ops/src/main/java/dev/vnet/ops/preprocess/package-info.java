/**
 * The one home of the method's preprocessing: {@link dev.vnet.ops.preprocess.PreprocessConfig} says what it is
 * ({@link dev.vnet.ops.preprocess.PreprocessConfig#paper()} is the method's, saved with every checkpoint),
 * {@link dev.vnet.ops.preprocess.Pipeline} is its image steps (gray → resize → Gaussian → median → CLAHE, each the
 * same bytes as OpenCV 4.6) and the true mask, and {@link dev.vnet.ops.preprocess.SmearPreprocessor} prepares a
 * sample (image and mask, a {@link dev.vnet.ops.preprocess.PreparedSample}) from a decoded image and its blast
 * centres. Training, evaluation, segmentation, the data loader and the figures of the docs all go through it.
 */
package dev.vnet.ops.preprocess;
