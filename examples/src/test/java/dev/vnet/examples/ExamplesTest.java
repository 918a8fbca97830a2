package dev.vnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.ops.Image8;
import dev.vnet.ops.preprocess.PreprocessConfig;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example programs run and do what they print. */
class ExamplesTest {
    @TempDir
    Path tmp;

    @Test
    void autogradTourRunsAndItsChecksPass() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            AutogradTour.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("1. Tensors", "2. Ops record a graph", "conv2d", "sigmoid", "3. backward()",
                "4. Each gradient", "5. Inference", "op = null, requiresGrad = false", "6. Modules");
        Matcher fell = Pattern.compile("loss fell from ([0-9.]+) to ([0-9.]+)").matcher(text);
        assertThat(fell.find()).isTrue();
        assertThat(Double.parseDouble(fell.group(2))).isLessThan(Double.parseDouble(fell.group(1)));
    }

    @Test
    void segmentImageWritesMaskOverlayAndCentresOfACheckpoint() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticDataset.write(data, SmearConfig.defaults().withImageCount(4).withSize(96, 64).withBlasts(2, 3));
        // One epoch of one optimiser step (3 training images, batch 4) of a tiny model: a real checkpoint in seconds.
        TrainConfig config = TrainConfig.demo().toBuilder().detection(null)
                .model(VNetConfig.builder().inChannels(3).baseWidth(4).downConvs(1, 1, 1, 1).upConvs(1, 1, 1, 1).build())
                .preprocess(new PreprocessConfig(false, 32, 32, 0, 0, 0, 0, 8, 8, 0, 0.03))
                .epochs(1).batchSize(4).validationFraction(0.25).threads(1).build();
        TrainResult run = Trainer.builder(config, AllIdb1Dataset.scan(data), tmp.resolve("run")).quiet(true).build()
                .run();
        assertThat(run.history()).hasSize(1);
        assertThat(run.history().get(0).step()).isEqualTo(1);

        Path image = data.resolve("im/Im001_1.jpg");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            SegmentImage.main(new String[] {run.bestCheckpoint().toString(), image.toString(), out.toString()});
        } finally {
            System.setOut(saved);
        }
        String text = buf.toString(StandardCharsets.UTF_8);

        Image8 original = ImageFiles.read(image);
        Image8 mask = ImageFiles.read(out.resolve("Im001_1_mask.png"));
        assertThat(mask.width()).isEqualTo(original.width());
        assertThat(mask.height()).isEqualTo(original.height());
        for (byte v : mask.data()) {
            assertThat(v & 0xFF).isIn(0, 255);
        }
        Image8 overlay = ImageFiles.read(out.resolve("Im001_1_overlay.png"));
        assertThat(overlay.width()).isEqualTo(original.width());

        Matcher count = Pattern.compile("Im001_1.jpg: (\\d+) blasts?").matcher(text);
        assertThat(count.find()).as(text).isTrue();
        int centres = XycParser.read(out.resolve("Im001_1.xyc"), original.width(), original.height()).size();
        assertThat(Integer.parseInt(count.group(1))).isEqualTo(centres);
        assertThat(text.lines().filter(l -> l.startsWith("  x ")).count()).isEqualTo(centres);
    }
}
