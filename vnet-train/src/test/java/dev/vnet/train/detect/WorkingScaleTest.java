package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.ops.Image8;
import org.junit.jupiter.api.Test;

class WorkingScaleTest {

    @Test
    void allIdb1IsAQuarterOnBothCameras() {
        WorkingScale s = WorkingScale.allIdb1();
        assertThat(s.factor()).isEqualTo(0.25);
        assertThat(s.workingSize(2592)).isEqualTo(648);
        assertThat(s.workingSize(1944)).isEqualTo(486);
        assertThat(s.workingSize(1712)).isEqualTo(428);
        assertThat(s.workingSize(1368)).isEqualTo(342);
        // A blast of 112 px is 28 px at the working scale, whichever camera took it.
        assertThat(112 * s.factor()).isEqualTo(28);
        assertThat(new WorkingScale(32, 28).factor()).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void coordinatesMapPixelCentreToPixelCentreBothWays() {
        assertThat(WorkingScale.toWorking(1.5, 2592, 648)).isCloseTo(0, within(1e-12));
        assertThat(WorkingScale.toOriginal(0, 2592, 648)).isCloseTo(1.5, within(1e-12));
        for (double x : new double[] {0, 17.25, 1000, 2591}) {
            assertThat(WorkingScale.toOriginal(WorkingScale.toWorking(x, 1712, 428), 1712, 428)).isCloseTo(x, within(1e-9));
        }
    }

    @Test
    void applyResizesToTheWorkingSizeInRgb() {
        Image8 gray = new Image8(400, 300, 1);
        java.util.Arrays.fill(gray.data(), (byte) 90);
        Image8 out = WorkingScale.allIdb1().apply(gray);
        assertThat(out.width()).isEqualTo(100);
        assertThat(out.height()).isEqualTo(75);
        assertThat(out.channels()).isEqualTo(3);
        assertThat(out.get(50, 40, 2)).isEqualTo(90);
        assertThatThrownBy(() -> new WorkingScale(0, 28)).hasMessageContaining("blast diameter");
        assertThatThrownBy(() -> new WorkingScale(112, 2)).hasMessageContaining("target blast diameter");
    }
}
