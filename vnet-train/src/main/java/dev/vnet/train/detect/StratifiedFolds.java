package dev.vnet.train.detect;

import dev.vnet.core.tensor.Rng;
import dev.vnet.io.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * K-fold cross-validation splits stratified by label: the items of each label are shuffled (by the seed) and dealt
 * to the folds in turn, so every item is validated on exactly once, no item is in two folds, and each fold holds
 * its share of ALL and of healthy images (fold sizes of a label differ by at most one). The healthy images are dealt
 * starting where the ALL images stopped, so the folds' total sizes also differ by at most one.
 */
public final class StratifiedFolds {
    private StratifiedFolds() {}

    /**
     * {@return for each item (by index), its fold in {@code 0 .. k − 1}}
     *
     * @param <T>   the item type
     * @param items the items
     * @param label the label of an item
     * @param k     the number of folds, from 2 to the number of items
     * @param seed  decides the shuffle
     */
    public static <T> int[] assign(List<T> items, Predicate<T> label, int k, long seed) {
        if (k < 2 || k > items.size()) {
            throw new IllegalArgumentException("cross-validation needs 2 <= folds <= images (" + items.size()
                    + "), got " + k + " folds");
        }
        List<Integer> positives = new ArrayList<>();
        List<Integer> negatives = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (label.test(items.get(i)) ? positives : negatives).add(i);
        }
        Rng rng = new Rng(seed);
        int[] fold = new int[items.size()];
        int next = deal(positives, k, 0, rng, fold);
        deal(negatives, k, next, rng, fold);
        return fold;
    }

    /**
     * {@return the {@code k} splits: split {@code f} validates on fold {@code f} and trains on the others, both in
     * the input order}
     *
     * @param <T>   the item type
     * @param items the items
     * @param label the label of an item
     * @param k     the number of folds, from 2 to the number of items
     * @param seed  decides the shuffle
     */
    public static <T> List<Split<T>> splits(List<T> items, Predicate<T> label, int k, long seed) {
        int[] fold = assign(items, label, k, seed);
        List<Split<T>> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            List<T> train = new ArrayList<>();
            List<T> validation = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                (fold[i] == f ? validation : train).add(items.get(i));
            }
            out.add(new Split<>(train, validation));
        }
        return out;
    }

    /** Shuffles {@code indices} (Fisher–Yates) and deals them to folds from {@code first}; returns the next fold. */
    private static int deal(List<Integer> indices, int k, int first, Rng rng, int[] fold) {
        int[] a = indices.stream().mapToInt(Integer::intValue).toArray();
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int f = first;
        for (int i : a) {
            fold[i] = f;
            f = (f + 1) % k;
        }
        return f;
    }
}
