package dev.vnet.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished training run produced.
 *
 * @param runDir    the run folder
 * @param history   metrics of every epoch
 * @param bestEpoch the epoch with the highest validation Dice, whose weights are {@code checkpoints/best.safetensors}
 * @param final_    the best model's metrics on the validation set (what {@code report.json} holds)
 * @param seconds   wall time of this invocation
 */
public record TrainResult(Path runDir, List<EpochRecord> history, int bestEpoch, Metrics final_, double seconds) {
    /**
     * The weights of the best epoch, what {@link Segmenter#load(Path)} takes.
     *
     * @return {@code runDir/checkpoints/best.safetensors}
     */
    public Path bestCheckpoint() {
        return runDir.resolve("checkpoints").resolve("best.safetensors");
    }
}
