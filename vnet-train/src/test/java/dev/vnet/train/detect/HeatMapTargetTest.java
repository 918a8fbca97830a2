package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeatMapTargetTest {

    @Test
    void aPeakOfOneAtEachCentreFallingAsAGaussian() {
        double sigma = HeatMapTarget.sigmaFor(28);
        assertThat(sigma).isEqualTo(3.5);
        float[] map = HeatMapTarget.render(64, 48, List.of(new double[] {20, 30}), sigma);
        assertThat(map[30 * 64 + 20]).isEqualTo(1f);
        assertThat(map[30 * 64 + 27]).isCloseTo((float) Math.exp(-49 / (2 * 3.5 * 3.5)), within(1e-7f));
        assertThat(map[0]).isZero();
    }

    @Test
    void overlappingPeaksTakeTheMaximumSoTouchingCellsKeepADipBetweenThem() {
        // Two blasts of 28 px whose centres are 24 px apart (pressed together): sums would merge into a ridge.
        float[] map = HeatMapTarget.render(80, 40, List.of(new double[] {28, 20}, new double[] {52, 20}), 3.5);
        float mid = map[20 * 80 + 40];
        assertThat(map[20 * 80 + 28]).isEqualTo(1f);
        assertThat(map[20 * 80 + 52]).isEqualTo(1f);
        assertThat(mid).isCloseTo((float) Math.exp(-144 / (2 * 3.5 * 3.5)), within(1e-7f)).isLessThan(0.01f);
        for (float v : map) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void aCentreOutsideTheMapDrawsItsVisiblePart() {
        float[] map = HeatMapTarget.render(30, 30, List.of(new double[] {-3, 10}), 3.5);
        assertThat(map[10 * 30]).isCloseTo((float) Math.exp(-9 / (2 * 3.5 * 3.5)), within(1e-7f));
        assertThatThrownBy(() -> HeatMapTarget.render(10, 10, List.of(), 0)).hasMessageContaining("sigma");
    }
}
