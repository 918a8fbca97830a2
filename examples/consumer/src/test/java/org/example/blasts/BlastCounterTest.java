package org.example.blasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.detect.WorkingScale;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.io.TempDir;

/** The library, used through its installed artifacts, trains and segments. */
class BlastCounterTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOneEpochAndSegmentsAnImageAtItsOwnSize() throws IOException {
        Path data = tmp.resolve("data");
        // The demo's realistic smears, cut to 160×128 to keep the test short.
        SmearConfig smears = SmearConfig.realistic(Camera.CAMERA_1712.scaled(TrainConfig.DEMO_BLAST_DIAMETER
                / WorkingScale.ALL_IDB1_BLAST_DIAMETER));
        SyntheticDataset.write(data, smears.withImageCount(6).withSize(160, 128));
        TrainConfig config = TrainConfig.demo().toBuilder().epochs(1).threads(1).build();

        Path checkpoint = BlastCounter.train(config, data, tmp.resolve("run"));

        assertThat(checkpoint).isRegularFile();
        assertThat(tmp.resolve("run/report.json")).isRegularFile();
        assertThat(Files.readString(tmp.resolve("run/config.json"))).contains("\"epochs\": 1");

        Path imageFile = data.resolve("im/Im001_1.jpg");
        Segmenter.Result result = BlastCounter.segment(checkpoint, imageFile);

        BufferedImage image = ImageIO.read(imageFile.toFile());
        assertThat(result.mask().width()).isEqualTo(image.getWidth());
        assertThat(result.mask().height()).isEqualTo(image.getHeight());
        for (byte v : result.mask().data()) {
            assertThat(v & 0xFF).isIn(0, 255);
        }
        assertThat(result.centres()).hasSize(result.count());

        Path onnx = tmp.resolve("blasts.onnx");
        BlastCounter.exportOnnx(checkpoint, onnx);
        assertThat(Files.size(onnx)).isGreaterThan(Files.size(checkpoint) / 2);
    }

    @Test
    void readsAPyTorchStateDictAndPredictsOnNd4jImages() throws IOException {
        VNetConfig layout = VNetConfig.builder().inChannels(3).baseWidth(2).build();
        VNet saved = new VNet(layout, 5);
        Path stateDict = tmp.resolve("model.safetensors");
        Safetensors.write(stateDict, saved.stateDict());

        VNet model = BlastCounter.fromPyTorch(stateDict, layout);
        assertThat(model.stateDict().get("in_tr.residual.weight").data())
                .isEqualTo(saved.stateDict().get("in_tr.residual.weight").data());
        INDArray probabilities = BlastCounter.probabilities(model, Nd4j.rand(DataType.FLOAT, 2, 3, 40, 24));
        assertThat(probabilities.shape()).containsExactly(2, 1, 40, 24);
        assertThat(probabilities.minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
        assertThat(probabilities.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
    }
}
