package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.ops.Point;
import dev.vnet.train.CellMatch;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.Evaluator;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point detector end to end: trained by the {@link Trainer} on small synthetic smears, it finds touching blasts on
 * smears it never saw as two cells each, where the connected components of even a perfect mask merge every such pair
 * into one.
 */
class DetectorEndToEndTest {

    private static List<Sample> smears(int n, long seed, boolean touching) {
        SmearGenerator g = new SmearGenerator(SmearConfig.defaults().withImageCount(n).withSize(320, 240).withSeed(seed)
                .withBlasts(4, 9));
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var s = g.render(i);
            out.add(touching ? TouchingBlasts.of(s, seed * 100 + i) : Sample.ofImage(s.name(), s.image(),
                    s.blastCentres(), s.all()));
        }
        return out;
    }

    @Test
    void touchingBlastsOnUnseenSmearsAreTwoCellsWhereComponentsMergeThem(@TempDir Path dir) throws Exception {
        // Blasts of 16 px (320×240 smears) seen at their own size; a small V-Net on 48×48 patches, 120 steps.
        double diameter = 2 * SmearGenerator.nominalBlastRadius(320);
        DetectionConfig d = new DetectionConfig(diameter, diameter, 48, 240, "bce", 64, 16, 8, 0.3f, 0.5f,
                60 * diameter / 112, 120 * diameter / 112);
        TrainConfig config = TrainConfig.recommended().toBuilder().detection(d)
                .model(VNetConfig.builder().inChannels(3).baseWidth(8).build()).epochs(4).batchSize(8)
                .learningRate(1e-2).validationFraction(0.25).seed(3).threads(2).build();
        TrainResult r = Trainer.builder(config, smears(12, 21, true), dir.resolve("run")).quiet(true).build().run();
        assertThat(Files.exists(dir.resolve("run/detection.json"))).isTrue();
        Checkpoint best = Checkpoint.load(r.bestCheckpoint());
        assertThat(best.config().detection().cellThreshold()).as("chosen on validation").isNotEqualTo(0.3f);

        List<Sample> unseen = smears(6, 22, true);
        int pairs = 0;
        int mergedByComponents = 0;
        for (Sample s : unseen) {
            int[] p = TouchingBlasts.pairsMergedByComponents(s, (int) Math.round(diameter / 2), d.pairDistance());
            pairs += p[0];
            mergedByComponents += p[1];
        }
        assertThat(pairs).isGreaterThanOrEqualTo(10);
        assertThat(mergedByComponents).as("pairs one component, of " + pairs).isGreaterThanOrEqualTo((int) (0.7 * pairs));

        DetectionValidation.Outcome o = Evaluator.evaluateDetector(best, unseen);
        System.out.printf("unseen smears: %s, cell F1 %.3f; touching pairs %d, one component of the true discs %d, "
                + "both blasts found by the detector %d%n", o.metrics().cells(), o.metrics().cells().f1(), pairs,
                mergedByComponents, o.choice().separatedPairs());
        assertThat(o.choice().touchingPairs()).isEqualTo(pairs);
        assertThat(o.choice().separatedPairs()).as("touching pairs with both blasts found, of " + pairs)
                .isGreaterThanOrEqualTo((int) Math.ceil(0.8 * pairs));
        assertThat(o.metrics().cells().f1()).as(o.metrics().cells().toString()).isGreaterThan(0.85);

        // segment writes the same cells the evaluation counted: one decoder.
        Segmenter seg = new Segmenter(best.model(), best.config());
        CellMatch viaSegmenter = CellMatch.EMPTY;
        for (Sample s : unseen) {
            List<CellMatch.Point> found = new ArrayList<>();
            for (Point p : seg.segment(s.load()).centres()) {
                found.add(new CellMatch.Point(p.x(), p.y()));
            }
            List<CellMatch.Point> truth = new ArrayList<>();
            for (Point p : s.centres()) {
                truth.add(new CellMatch.Point(p.x(), p.y()));
            }
            viaSegmenter = viaSegmenter.plus(CellMatch.match(found, truth, d.matchDistance()));
        }
        assertThat(viaSegmenter.truePositive()).isEqualTo(o.metrics().cells().truePositive());
        assertThat(viaSegmenter.falsePositive()).isEqualTo(o.metrics().cells().falsePositive());
    }
}
