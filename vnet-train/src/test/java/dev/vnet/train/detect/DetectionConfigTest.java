package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.train.TrainConfig;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {

    @Test
    void recommendedIsTheDetectorAndItsConfigurationSurvivesJson() {
        TrainConfig r = TrainConfig.recommended();
        assertThat(r.detection()).isNotNull();
        assertThat(r.detection().workingScale().factor()).isEqualTo(0.25);
        assertThat(TrainConfig.fromJson(r.toJson())).isEqualTo(r);
        assertThat(TrainConfig.paper().detection()).isNull();
        // The demo's smears are a quarter of ALL-IDB1's magnification: its detector sees them at their own size.
        assertThat(TrainConfig.demo().detection().blastDiameter()).isEqualTo(TrainConfig.DEMO_BLAST_DIAMETER);
        assertThat(TrainConfig.demo().detection().workingScale().factor()).isEqualTo(1.0);
        assertThat(TrainConfig.fromJson(TrainConfig.demo().toJson())).isEqualTo(TrainConfig.demo());
        // A mask model's configuration has no detection entry, as those saved before the detector existed.
        assertThat(TrainConfig.paper().toJson()).doesNotContain("detection");
        assertThat(TrainConfig.fromJson(TrainConfig.paper().toJson())).isEqualTo(TrainConfig.paper());
    }

    @Test
    void aRunIsTheSameRunWhateverThresholdsItsCheckpointsChose() {
        TrainConfig r = TrainConfig.recommended();
        TrainConfig chosen = r.withDetection(r.detection().withThresholds(0.42f, 0.61f));
        assertThat(chosen).isNotEqualTo(r);
        assertThat(chosen.sameRun(r)).isTrue();
        assertThat(chosen.sameRun(r.toBuilder().epochs(3).build())).isFalse();
        assertThat(r.toBuilder().size(96).build().detection().patchSize()).isEqualTo(96);
    }

    @Test
    void otherMicroscopesScaleTheDistancesWithTheBlasts() {
        DetectionConfig d = DetectionConfig.allIdb1(100).withBlastDiameter(56);
        assertThat(d.workingScale().factor()).isEqualTo(0.5);
        assertThat(d.matchDistance()).isEqualTo(30);
        assertThat(d.pairDistance()).isEqualTo(60);
        assertThatThrownBy(() -> d.withLoss("dice")).hasMessageContaining("focal or bce");
    }
}
