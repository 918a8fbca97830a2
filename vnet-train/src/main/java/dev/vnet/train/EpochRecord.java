package dev.vnet.train;

import java.util.List;

/**
 * What one epoch produced: metrics on the training and validation sets.
 *
 * @param epoch          1-based epoch number
 * @param step           optimiser steps taken so far
 * @param learningRate   the learning rate used in this epoch
 * @param seconds        wall time of the epoch (training and validation)
 * @param train          metrics of the training pass (computed on the predictions made while training)
 * @param validation     metrics on the validation set, in evaluation mode
 */
public record EpochRecord(int epoch, long step, double learningRate, double seconds, Metrics train, Metrics validation) {
    /**
     * {@return the epoch with the highest validation Dice (the earliest on ties), -1 for no epoch}
     *
     * @param history the records of a run
     */
    public static int best(List<EpochRecord> history) {
        return best(history, false);
    }

    /**
     * {@return the epoch with the highest validation cell F1 ({@code byCellF1}, the point detector's aim) or Dice (the
     * earliest on ties), -1 for no epoch}
     *
     * @param history  the records of a run
     * @param byCellF1 whether to rank by cell F1 instead of Dice
     */
    public static int best(List<EpochRecord> history, boolean byCellF1) {
        int best = -1;
        double value = Double.NEGATIVE_INFINITY;
        for (EpochRecord r : history) {
            double v = byCellF1 ? r.validation().cellF1() : r.validation().dice();
            if (v > value) {
                value = v;
                best = r.epoch();
            }
        }
        return best;
    }
}
