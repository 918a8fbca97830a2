package dev.vnet.train;

import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.data.Sample;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.io.synth.SyntheticSmear;
import dev.vnet.ops.Point;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.train.detect.DetectionConfig;
import java.util.ArrayList;
import java.util.List;

/** Small synthetic smears in memory and a tiny configuration, for tests that train. */
public final class TinyData {
    private TinyData() {}

    public static List<Sample> samples(int n, int width, int height, long seed) {
        SmearGenerator g = new SmearGenerator(SmearConfig.defaults().withImageCount(n).withSize(width, height)
                .withSeed(seed).withBlasts(2, 4));
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SyntheticSmear s = g.render(i);
            List<Point> centres = new ArrayList<>();
            for (SyntheticSmear.Cell c : s.blasts()) {
                centres.add(new Point(c.x(), c.y()));
            }
            out.add(Sample.ofImage(s.name(), s.image(), centres, s.all()));
        }
        return out;
    }

    /** A mask model: RGB 48×32 input (not a multiple of 16: exercises pad and crop), width 4, 2 epochs, batch 2. */
    public static TrainConfig config() {
        PreprocessConfig p = new PreprocessConfig(false, 48, 32, 0, 0, 0, 0, 8, 8, 0, 0.03);
        VNetConfig m = VNetConfig.builder().inChannels(3).baseWidth(4).downConvs(1, 1, 1, 1).upConvs(1, 1, 1, 1).build();
        return TrainConfig.demo().toBuilder().detection(null).model(m).preprocess(p).epochs(2).batchSize(2).learningRate(3e-3)
                .validationFraction(0.25).augment(true).seed(3).threads(1).build();
    }

    /**
     * {@return a tiny point detector for smears {@code imageWidth} px wide: blasts seen at their own size, 32-px patches,
     * 8 per epoch, the model of {@link #config()}, one epoch, one thread}
     *
     * @param imageWidth the smears' width in pixels
     */
    public static TrainConfig detector(int imageWidth) {
        double diameter = 2 * SmearGenerator.nominalBlastRadius(imageWidth);
        DetectionConfig d = new DetectionConfig(diameter, diameter, 32, 8, "bce", 64, 16, 4, 0.3f, 0.5f,
                60 * diameter / 112, 120 * diameter / 112);
        return TrainConfig.recommended().toBuilder().detection(d).model(config().model()).epochs(1).batchSize(4)
                .validationFraction(0.25).seed(3).threads(1).build();
    }
}
