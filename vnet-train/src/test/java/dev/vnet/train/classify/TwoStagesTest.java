package dev.vnet.train.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.data.Sample;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.detect.DetectedCell;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detector with the classifier as its second stage, on untrained networks: what is kept, and from what. */
class TwoStagesTest {
    @Test
    void keepsTheProposalsTheClassifierCallsBlastsScoredWithItsProbability() throws Exception {
        TrainConfig det = TinyData.detector(160);
        // A low cell threshold: an untrained detector's peaks are low, and the proposals must not be empty.
        det = det.withDetection(det.detection().withThresholds(0.12f, 0.5f));
        Segmenter detector = new Segmenter(new VNet(det.model(), 3), det);
        CellScorer scorer = new CellScorer(new CellClassifier(SyntheticCrops.tiny(32, 1), 4));
        Segmenter both = detector.withClassifier(scorer);
        Sample smear = TinyData.samples(1, 160, 120, 5).get(0);
        var img = smear.image();
        Segmenter.TwoStages t = both.detectInTwoStages(img);
        assertTrue(!t.proposals().isEmpty(), "an untrained detector proposes something at half its threshold");
        assertEquals(t.proposals().size(), t.probabilities().length);
        int kept = 0;
        float max = 0;
        for (int i = 0; i < t.probabilities().length; i++) {
            float p = t.probabilities()[i];
            assertTrue(p >= 0 && p <= 1);
            assertTrue(t.proposals().get(i).score() >= 0.06f, "proposals start at half the cell threshold");
            kept += p >= BinaryScores.THRESHOLD ? 1 : 0;
            max = Math.max(max, p);
        }
        assertEquals(kept, t.cells().size());
        assertEquals(max, t.score());
        for (DetectedCell c : t.cells()) {
            assertTrue(c.score() >= BinaryScores.THRESHOLD);
        }
        // segment() keeps the same cells; the detector alone is unchanged by the second stage's existence.
        assertEquals(t.cells(), both.segment(img).cells());
        assertEquals(detector.detect(img).cells(), detector.segment(img).cells());
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(new VNet(TinyData.config().model(), 1),
                TinyData.config()).withClassifier(scorer), "a mask model proposes no cells");
    }
}
