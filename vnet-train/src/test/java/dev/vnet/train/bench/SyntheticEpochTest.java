package dev.vnet.train.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.io.synth.Camera;
import dev.vnet.train.EpochTiming;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import org.junit.jupiter.api.Test;

class SyntheticEpochTest {

    @Test
    void oneEpochIsTimedAndSplitIntoStepsValidationAndTheRest() throws Exception {
        Camera small = Camera.CAMERA_1712.scaled(0.1);
        TrainConfig tiny = TinyData.detector(small.width()).toBuilder().epochs(3).build();
        SyntheticEpoch.Result r = new SyntheticEpoch(tiny, small, 5).run();
        EpochTiming t = r.epoch();
        assertThat(r.photographs()).isEqualTo(5);
        assertThat(t.epoch()).as("one epoch, whatever the configuration said").isEqualTo(1);
        assertThat(t.steps()).isPositive();
        assertThat(t.stepSeconds()).isPositive();
        assertThat(t.validationSeconds()).isPositive();
        assertThat(t.seconds()).isGreaterThanOrEqualTo(t.stepSeconds() + t.validationSeconds());
        assertThat(r.runMs() / 1000).isGreaterThanOrEqualTo(t.seconds());
        assertThatThrownBy(() -> new SyntheticEpoch(tiny, small, 1))
                .hasMessageContaining("at least 2 photographs (one to validate), got 1");
    }
}
