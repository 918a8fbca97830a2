package dev.vnet.train.classify;

import java.util.List;

/**
 * What one epoch of a classifier's training produced.
 *
 * @param epoch         1-based epoch number
 * @param step          optimiser steps taken so far
 * @param seconds       wall time of the epoch (training and validation)
 * @param trainLoss     mean loss of the training pass
 * @param trainAccuracy share of the training crops called right while training (augmented, in training mode)
 * @param validation    the scores on the validation crops, or {@code null} when the run holds none out
 */
public record ClassifierEpoch(int epoch, long step, double seconds, double trainLoss, double trainAccuracy,
                              BinaryScores validation) {
    /**
     * {@return the epoch with the lowest validation loss (the earliest on ties); the last epoch without validation;
     * -1 for no epoch} The loss ranks finer than the accuracy, which ties often on a small validation set.
     *
     * @param history the records of a run
     */
    public static int best(List<ClassifierEpoch> history) {
        int best = -1;
        double value = Double.POSITIVE_INFINITY;
        for (ClassifierEpoch r : history) {
            if (r.validation() == null) {
                best = r.epoch();
                continue;
            }
            double v = r.validation().loss();
            if (v < value) {
                value = v;
                best = r.epoch();
            }
        }
        return best;
    }
}
