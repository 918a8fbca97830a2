package dev.vnet.serve;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SmearGenerator;
import dev.vnet.ops.Image8;
import dev.vnet.train.Checkpoint;
import dev.vnet.train.TinyData;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.classify.CellClassifier;
import dev.vnet.train.classify.ClassifierCheckpoint;
import dev.vnet.train.classify.ClassifierConfig;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.HeatMapDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A point detector and smears for the server's tests. The detector is a tiny V-Net with its initial weights: the
 * tests hold the server to the library's answer for the same model, whatever it finds; its cell threshold is set to
 * the median candidate score of the test smear, so the smear has cells and the candidates reach above and below it.
 */
final class ServeFixtures {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;

    private ServeFixtures() {}

    /** {@return a synthetic smear of {@code width × height}, written as PNG to {@code file}} */
    static Path smear(Path file, int width, int height, long seed) throws IOException {
        SmearGenerator g = new SmearGenerator(SmearConfig.defaults().withImageCount(1).withSize(width, height)
                .withSeed(seed).withBlasts(3, 6));
        ImageFiles.write(g.render(0).image(), file);
        return file;
    }

    /** {@return a checkpoint of an untrained tiny detector whose cell threshold gives {@code smear} cells} */
    static Path detector(Path file, Path smear) throws IOException {
        TrainConfig config = TinyData.detector(WIDTH);
        VNet model = new VNet(config.model(), config.seed());
        model.eval();
        Image8 image = ImageFiles.read(smear);
        List<DetectedCell> candidates = new HeatMapDetector(model, config.detection()).candidates(image);
        if (candidates.size() < 4) {
            throw new IllegalStateException("the test detector finds only " + candidates.size() + " candidates in "
                    + smear + "; expected at least 4");
        }
        float median = candidates.get(candidates.size() / 2).score();
        DetectionConfig d = config.detection().withThresholds(median, median);
        Checkpoint.save(file, model, config.withDetection(d), 1, 1, Double.NaN);
        return file;
    }

    /**
     * {@return a checkpoint of an untrained cell classifier: the tests hold the server's two stages to the library's,
     * whatever it scores}
     */
    static Path classifier(Path file) throws IOException {
        CellClassifier model = new CellClassifier(ClassifierConfig.defaults(), 3);
        try (OutputStream out = Files.newOutputStream(file)) {
            ClassifierCheckpoint.writeTo(out, model, 1, 1);
        }
        return file;
    }

    static HttpResponse<byte[]> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
