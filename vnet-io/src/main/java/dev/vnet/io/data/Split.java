package dev.vnet.io.data;

import dev.vnet.core.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A division of a data set into training and validation parts, stratified by label: each label
 * contributes the same fraction to validation, so a small data set still validates on both ALL and
 * healthy images. Which items go where depends only on the items' order, their labels, the
 * fraction and the seed. Both lists keep the input order.
 *
 * @param train      the training items
 * @param validation the validation items
 * @param <T>        the item type ({@link Sample}, or a data set reader's own record)
 */
public record Split<T>(List<T> train, List<T> validation) {
    /** The method's validation fraction: an 80/20 split. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    /**
     * Copies both lists.
     *
     * @param train      the training items
     * @param validation the validation items
     */
    public Split {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * {@return an 80/20 split of samples stratified by their label}
     *
     * @param samples the samples
     * @param seed    the seed of the shuffle
     */
    public static Split<Sample> of(List<Sample> samples, long seed) {
        return stratified(samples, Sample::label, DEFAULT_VALIDATION_FRACTION, seed);
    }

    /**
     * Splits {@code items} so that about {@code validationFraction} of the items of each label go to
     * validation ({@code round(n * fraction)} per label; when that rounds to none of either label
     * but the fraction is positive and there are at least two items, one item of the larger label
     * is moved, so validation is never empty by accident).
     *
     * @param <T>                the item type
     * @param items              the items
     * @param label              the label of an item
     * @param validationFraction in [0, 1)
     * @param seed               decides which items of each label are chosen
     * @return the split
     */
    public static <T> Split<T> stratified(List<T> items, Predicate<T> label, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (label.test(items.get(i)) ? positives : negatives).add(i);
        }
        Rng rng = new Rng(seed);
        boolean[] toValidation = new boolean[items.size()];
        int nPos = (int) Math.round(positives.size() * validationFraction);
        int nNeg = (int) Math.round(negatives.size() * validationFraction);
        if (nPos + nNeg == 0 && validationFraction > 0 && items.size() >= 2) {
            if (positives.size() >= negatives.size()) {
                nPos = 1;
            } else {
                nNeg = 1;
            }
        }
        choose(positives, nPos, rng, toValidation);
        choose(negatives, nNeg, rng, toValidation);
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (toValidation[i] ? validation : train).add(items.get(i));
        }
        return new Split<>(train, validation);
    }

    /** Marks {@code count} of {@code indices} chosen by a partial Fisher-Yates shuffle. */
    private static void choose(List<Integer> indices, int count, Rng rng, boolean[] chosen) {
        int[] a = indices.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
            chosen[a[i]] = true;
        }
    }
}
