package dev.vnet.train.classify;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How well blast probabilities separate blasts from normal cells: the confusion matrix at a threshold and the
 * measures made of it, and the ROC AUC, which needs no threshold.
 *
 * @param truePositives  blasts called blasts
 * @param falseNegatives blasts called normal
 * @param falsePositives normal cells called blasts
 * @param trueNegatives  normal cells called normal
 * @param auc            ROC AUC: the chance that a blast scores above a normal cell, ties counting one half; NaN
 *                       without both classes
 * @param loss           mean cross-entropy of the predictions, NaN if not computed
 */
public record BinaryScores(int truePositives, int falseNegatives, int falsePositives, int trueNegatives, double auc,
                           double loss) {
    /** The probability from which a crop is called a blast. */
    public static final double THRESHOLD = 0.5;

    /**
     * {@return the scores of {@code probabilities} against {@code labels} at {@link #THRESHOLD}}
     *
     * @param probabilities blast probabilities
     * @param labels        true for a blast
     * @param loss          the mean loss, or NaN
     */
    public static BinaryScores of(float[] probabilities, boolean[] labels, double loss) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " probabilities for " + labels.length + " labels");
        }
        int tp = 0;
        int fn = 0;
        int fp = 0;
        int tn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean called = probabilities[i] >= THRESHOLD;
            if (labels[i]) {
                tp += called ? 1 : 0;
                fn += called ? 0 : 1;
            } else {
                fp += called ? 1 : 0;
                tn += called ? 0 : 1;
            }
        }
        return new BinaryScores(tp, fn, fp, tn, rocAuc(probabilities, labels), loss);
    }

    /**
     * {@return the ROC AUC by ranks (Mann-Whitney): tied scores share their mean rank; NaN without both classes}
     *
     * @param scores the scores
     * @param labels true for a positive
     */
    public static double rocAuc(float[] scores, boolean[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSum += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        return pos == 0 || neg == 0 ? Double.NaN : (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }

    /** {@return the crops scored} */
    public int total() {
        return truePositives + falseNegatives + falsePositives + trueNegatives;
    }

    /** {@return the share of crops called right} */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** {@return the share of blasts called blasts (recall); NaN without blasts} */
    public double sensitivity() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** {@return the share of normal cells called normal; NaN without normal cells} */
    public double specificity() {
        return ratio(trueNegatives, trueNegatives + falsePositives);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }

    /** {@return the measures by name, as the reports and the JSON of the commands give them; the loss only if computed} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("sensitivity", sensitivity());
        m.put("specificity", specificity());
        m.put("auc", auc);
        if (Double.isFinite(loss)) {
            // Left out when not computed: NaN is no JSON number, and a strict parser of the commands' output fails on it.
            m.put("loss", loss);
        }
        m.put("crops", total());
        Map<String, Integer> confusion = new LinkedHashMap<>();
        confusion.put("true_positives", truePositives);
        confusion.put("false_negatives", falseNegatives);
        confusion.put("false_positives", falsePositives);
        confusion.put("true_negatives", trueNegatives);
        m.put("confusion", confusion);
        return m;
    }
}
