package org.example.blasts;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.synth.SmearConfig;
import dev.vnet.io.synth.SyntheticDataset;
import dev.vnet.train.Segmenter;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Trains a V-Net on synthetic smears for one epoch and counts the blast cells in one of them: the two things an
 * application does with the vnet library. Point {@code train} at a copy of ALL-IDB1 and raise the epochs for a
 * real model.
 */
public final class BlastCounter {
    private BlastCounter() {}

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "target/blast-counter");
        Path data = work.resolve("data");
        SyntheticDataset.write(data, SmearConfig.defaults().withImageCount(8).withSize(160, 120));

        Path checkpoint = train(TrainConfig.demo().toBuilder().epochs(1).build(), data, work.resolve("run"));
        Segmenter.Result result = segment(checkpoint, data.resolve("im/Im001_1.jpg"));

        System.out.println(result.count() + " blast cells at " + result.centres());
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
}
