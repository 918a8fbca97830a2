package dev.vnet.examples;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.TrainResult;
import dev.vnet.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the method as published ({@link TrainConfig#paper()}: gray 256×256, Gaussian, median, CLAHE, Dice + BCE,
 * Adam 1e-4, batch 4, 20 epochs, 80/20 split) on a copy of ALL-IDB1, which cannot be shipped with the project.
 *
 * <p>Usage: {@code TrainAllIdb ALL_IDB1_FOLDER [RUN_FOLDER]}; the run folder defaults to {@code runs/paper}.
 * With Maven: {@code mvn -q -pl examples exec:java -Dexec.mainClass=dev.vnet.examples.TrainAllIdb
 * -Dexec.args="/data/ALL_IDB1"}.
 */
public final class TrainAllIdb {
    private TrainAllIdb() {}

    /**
     * Trains and prints where the best checkpoint is.
     *
     * @param args the ALL-IDB1 folder and, optionally, the run folder
     * @throws IOException if the data cannot be read or the run folder cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("""
                    usage: TrainAllIdb ALL_IDB1_FOLDER [RUN_FOLDER]
                      ALL_IDB1_FOLDER  your copy of ALL-IDB1: the folder holding im/ (ImXXX_Y.jpg) and xyc/ (ImXXX_Y.xyc),
                                       or a folder up to two levels above it
                      RUN_FOLDER       where the run is written (default runs/paper); must be empty or missing""");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path run = Path.of(args.length > 1 ? args[1] : "runs/paper");

        TrainResult result = Trainer.builder(TrainConfig.paper(), AllIdb1Dataset.scan(data), run).build().run();

        System.out.printf(Locale.ROOT, "best epoch %d, validation Dice %.4f; weights in %s, report in %s%n",
                result.bestEpoch(), result.final_().dice(), result.bestCheckpoint(), run.resolve("report.md"));
    }
}
