package dev.vnet.train.classify;

import dev.vnet.core.loss.CrossEntropyLoss;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained classifier applied to crops: the probability that each crop's centred cell is a blast.
 */
public final class CellScorer {
    /** Crops per forward pass: bounds the memory of scoring many crops. */
    private static final int BATCH = 64;

    private final CellClassifier model;

    /**
     * Scores with {@code model}, which is put in evaluation mode.
     *
     * @param model the trained network
     */
    public CellScorer(CellClassifier model) {
        this.model = model;
        model.eval();
    }

    /**
     * {@return the scorer of a checkpoint}
     *
     * @param checkpoint a file {@link ClassifierCheckpoint#writeTo} wrote
     * @throws IOException if it cannot be read or is not a classifier checkpoint
     */
    public static CellScorer load(Path checkpoint) throws IOException {
        return new CellScorer(ClassifierCheckpoint.load(checkpoint).model());
    }

    /** {@return the network} */
    public CellClassifier model() {
        return model;
    }

    /** {@return the input side the crops are resized to} */
    public int inputSize() {
        return model.config().inputSize();
    }

    /**
     * {@return the blast probability of each crop, in order}
     *
     * @param crops RGB crops of any size (resized to the input side here)
     */
    public float[] probabilities(List<Image8> crops) {
        float[] out = new float[crops.size()];
        model.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int from = 0; from < crops.size(); from += BATCH) {
                List<Image8> batch = new ArrayList<>();
                for (int i = from; i < Math.min(crops.size(), from + BATCH); i++) {
                    batch.add(CellCrops.resized(crops.get(i), inputSize()));
                }
                Tensor p = CrossEntropyLoss.softmax(model.forward(CropTensors.images(batch)));
                float[] d = p.data();
                for (int i = 0; i < batch.size(); i++) {
                    out[from + i] = d[i * CellClassifier.CLASSES + 1];
                }
            }
        }
        return out;
    }

    /**
     * {@return the blast probability of each crop}
     *
     * @param crops labelled crops at the input side
     */
    public float[] probabilitiesOf(List<CellCrop> crops) {
        return probabilities(crops.stream().map(CellCrop::image).toList());
    }

    /**
     * {@return the blast probability of the cell at each centre of a smear, each crop cut as
     * {@link CellCrops#cut} cuts it}
     *
     * @param smear         the RGB smear at full resolution
     * @param centres       the cells' centres {x, y}, in the smear's pixels
     * @param blastDiameter the blast diameter in the smear's pixels
     */
    public float[] probabilitiesAt(Image8 smear, List<int[]> centres, double blastDiameter) {
        List<Image8> crops = new ArrayList<>(centres.size());
        for (int[] c : centres) {
            crops.add(CellCrops.cut(smear, c[0], c[1], blastDiameter, inputSize()));
        }
        return probabilities(crops);
    }
}
