package dev.vnet.io.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitTest {
    /** Items "p0".."p(np-1)" (label true) and "n0".. (false), interleaved. */
    private static List<String> items(int np, int nn) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < Math.max(np, nn); i++) {
            if (i < np) {
                items.add("p" + i);
            }
            if (i < nn) {
                items.add("n" + i);
            }
        }
        return items;
    }

    @Test
    void splitsEachLabelEightyTwentyAndLosesNothing() {
        List<String> items = items(50, 30);
        Split<String> s = Split.stratified(items, x -> x.startsWith("p"), 0.2, 42);
        assertThat(s.validation().stream().filter(x -> x.startsWith("p")).count()).isEqualTo(10);
        assertThat(s.validation().stream().filter(x -> x.startsWith("n")).count()).isEqualTo(6);
        assertThat(s.train()).hasSize(64);
        List<String> union = new ArrayList<>(s.train());
        union.addAll(s.validation());
        assertThat(union).containsExactlyInAnyOrderElementsOf(items);
        // Both parts keep the input order.
        assertThat(s.train()).isSortedAccordingTo((a, b) -> items.indexOf(a) - items.indexOf(b));
        assertThat(s.validation()).isSortedAccordingTo((a, b) -> items.indexOf(a) - items.indexOf(b));
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<String> items = items(40, 40);
        Split<String> a = Split.stratified(items, x -> x.startsWith("p"), 0.2, 1);
        Split<String> b = Split.stratified(items, x -> x.startsWith("p"), 0.2, 1);
        Split<String> c = Split.stratified(items, x -> x.startsWith("p"), 0.2, 2);
        assertThat(b).isEqualTo(a);
        assertThat(c.validation()).isNotEqualTo(a.validation());
    }

    @Test
    void tinyDataSetsStillValidate() {
        Split<String> s = Split.stratified(items(2, 1), x -> x.startsWith("p"), 0.2, 3);
        assertThat(s.validation()).hasSize(1);
        assertThat(s.train()).hasSize(2);
        assertThat(Split.stratified(items(3, 3), x -> true, 0, 3).validation()).isEmpty();
    }

    @Test
    void samplesSplitByLabelByDefault() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(Sample.ofImage("s" + i, new dev.vnet.ops.Image8(4, 4, 1), List.of(), i % 2 == 0));
        }
        Split<Sample> s = Split.of(samples, 5);
        assertThat(s.validation()).hasSize(2);
        assertThat(s.validation()).extracting(Sample::label).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void rejectsFractionOutOfRange() {
        assertThatThrownBy(() -> Split.stratified(items(2, 2), x -> true, 1.0, 0)).hasMessageContaining("1.0");
    }
}
