package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.data.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedFoldsTest {

    @Test
    void everyImageIsValidatedOnceAndTheLabelsAreBalanced() {
        // ALL-IDB1's 49 ALL and 59 healthy images, in 5 folds.
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 108; i++) {
            items.add(i);
        }
        List<Split<Integer>> folds = StratifiedFolds.splits(items, i -> i % 9 < 4 || i == 107, 5, 42);
        assertThat(folds).hasSize(5);
        Set<Integer> seen = new HashSet<>();
        for (Split<Integer> f : folds) {
            for (Integer v : f.validation()) {
                assertThat(seen.add(v)).as("image %d in two folds", v).isTrue();
            }
            Set<Integer> train = new HashSet<>(f.train());
            assertThat(train).doesNotContainAnyElementsOf(f.validation());
            assertThat(train.size() + f.validation().size()).isEqualTo(108);
            long all = f.validation().stream().filter(i -> i % 9 < 4 || i == 107).count();
            assertThat(all).isBetween(9L, 10L);
            assertThat(f.validation().size() - all).isBetween(11L, 12L);
            assertThat(f.validation().size()).isBetween(21, 22);
        }
        assertThat(seen).hasSize(108);
        assertThat(StratifiedFolds.assign(items, i -> i % 9 < 4, 5, 42))
                .isEqualTo(StratifiedFolds.assign(items, i -> i % 9 < 4, 5, 42))
                .isNotEqualTo(StratifiedFolds.assign(items, i -> i % 9 < 4, 5, 43));
    }

    @Test
    void refusesImpossibleFoldCounts() {
        assertThatThrownBy(() -> StratifiedFolds.assign(List.of(1, 2, 3), i -> true, 4, 1))
                .hasMessageContaining("2 <= folds <= images (3)");
        assertThatThrownBy(() -> StratifiedFolds.assign(List.of(1, 2, 3), i -> true, 1, 1))
                .hasMessageContaining("got 1 folds");
    }
}
