package org.example.blasts;

import dev.vnet.core.nd4j.Nd4jArrays;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.checkpoint.Safetensors;
import dev.vnet.io.synth.Camera;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.onnx.OnnxExport;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import dev.vnet.train.detect.WorkingScale;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains the demo's point detector on synthetic smears for one epoch and counts the blast cells in one of them: the
 * two things an application does with the vnet library. Point {@code train} at a copy of ALL-IDB1 and raise the
 * epochs for a real model.
 */
public final class BlastCounter {
    private BlastCounter() {}

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "target/blast-counter");
        Path data = work.resolve("data");
        // Smears like ALL-IDB1's 1712-wide camera at the demo preset's magnification (blasts of 28 px).
        SmearConfig smears = SmearConfig.realistic(Camera.CAMERA_1712.scaled(TrainConfig.DEMO_BLAST_DIAMETER
                / WorkingScale.ALL_IDB1_BLAST_DIAMETER));
        SyntheticDataset.write(data, smears.withImageCount(8));

        Path checkpoint = train(TrainConfig.demo().toBuilder().epochs(1).build(), data, work.resolve("run"));
        Segmenter.Result result = segment(checkpoint, data.resolve("im/Im001_1.jpg"));

        System.out.println(result.count() + " blast cells: " + result.cells());
    }

    /** Trains on a folder in the ALL-IDB1 layout (im/, xyc/) and returns the best checkpoint. */
    public static Path train(TrainConfig config, Path dataFolder, Path runFolder) throws IOException {
        TrainResult result = Trainer.builder(config, AllIdb1Dataset.scan(dataFolder), runFolder)
                .overwrite(true)
                .build()
                .run();
        return result.bestCheckpoint();
    }

    /** Segments one image file with a trained checkpoint. */
    public static Segmenter.Result segment(Path checkpoint, Path imageFile) throws IOException {
        Segmenter segmenter = Segmenter.load(checkpoint);
        BufferedImage image = ImageIO.read(imageFile.toFile());
        return segmenter.segment(image);
    }

    /** Writes a checkpoint's V-Net as an ONNX model, for ONNX Runtime or any engine of opset 17. */
    public static void exportOnnx(Path checkpoint, Path onnxFile) throws IOException {
        OnnxExport.write(checkpoint, onnxFile);
    }

    /** A V-Net with the weights of a state dict that PyTorch saved in the safetensors layout (MONAI's names). */
    public static VNet fromPyTorch(Path stateDict, VNetConfig layout) throws IOException {
        VNet model = new VNet(layout, 0);
        model.loadStateDict(Safetensors.read(stateDict).tensors());
        model.eval();
        return model;
    }

    /** The blast probabilities of ND4J images [N, C, H, W] (values 0..1, channels first), as an ND4J array. */
    public static INDArray probabilities(VNet model, INDArray images) {
        model.eval();
        try (var noGraph = GradMode.noGrad()) {
            Tensor logits = model.forward(Nd4jArrays.imagesToTensor(images, model.config().inChannels()));
            return Transforms.sigmoid(Nd4jArrays.toINDArray(logits));
        }
    }
}
