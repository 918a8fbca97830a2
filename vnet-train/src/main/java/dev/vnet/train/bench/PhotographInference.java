package dev.vnet.train.bench;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.ops.Image8;
import dev.vnet.train.TrainConfig;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.TiledInference;
import java.util.Arrays;
import java.util.List;

/**
 * The point detector on one whole photograph, as {@code vnet segment} runs it, timed phase by phase: the resize to the
 * working scale, the network's forward passes over the tiles (with the σ of the logits), the rest of the tiling
 * (cutting the tiles, blending their maps) and the peak decoding. {@code tools/bench/torch_tiled.py} does the same
 * tiling with the same model in PyTorch and prints the same keys.
 */
public final class PhotographInference {
    private final DetectionConfig settings;
    private final TiledInference.TileModel network;
    private final int[] tilesAndForward = new int[1];
    private long forwardNanos;

    /**
     * The time of each phase of one photograph, in milliseconds.
     *
     * @param resizeMs  the resize to the working scale
     * @param forwardMs the network over every tile, σ included
     * @param tilingMs  cutting the tiles and blending their maps
     * @param decodeMs  the peak decoding
     * @param totalMs   the whole detection
     * @param tiles     tiles run through the network
     * @param cells     cells found at the cell threshold
     */
    public record Phases(double resizeMs, double forwardMs, double tilingMs, double decodeMs, double totalMs, int tiles,
                         int cells) {}

    /**
     * A detector of {@code model} under {@code settings}.
     *
     * @param model    the network
     * @param settings the detection settings (tiling, working scale, decoder, thresholds)
     */
    public PhotographInference(VNet model, DetectionConfig settings) {
        this.settings = settings;
        TiledInference.TileModel m = TiledInference.of(model);
        this.network = tiles -> {
            long t0 = System.nanoTime();
            float[] p = m.predict(tiles);
            forwardNanos += System.nanoTime() - t0;
            tilesAndForward[0] += tiles.dim(0);
            return p;
        };
    }

    /**
     * {@return the untrained {@code recommended} network (its weights from the preset's seed, the output weight at +1
     * as a run starts it), for timing without a checkpoint: the work per photograph does not depend on the weights}
     */
    public static VNet untrainedRecommended() {
        TrainConfig c = TrainConfig.recommended();
        VNet model = new VNet(c.model(), c.seed());
        Arrays.fill(model.parameters().get("out_tr.conv2.weight").data(), 1f);
        return model;
    }

    /**
     * Detects the blasts of {@code photograph}, timing each phase.
     *
     * @param photograph the photograph, RGB or gray, any size
     * @return the phases' times
     */
    public Phases run(Image8 photograph) {
        forwardNanos = 0;
        tilesAndForward[0] = 0;
        long t0 = System.nanoTime();
        Image8 working = settings.workingScale().apply(photograph);
        long t1 = System.nanoTime();
        float[] map = settings.tiling().apply(working, network);
        long t2 = System.nanoTime();
        List<DetectedCell> cells = settings.decoder().withThreshold(settings.cellThreshold()).decode(map,
                working.width(), working.height(), photograph.width(), photograph.height());
        long t3 = System.nanoTime();
        return new Phases(ms(t1 - t0), ms(forwardNanos), ms(t2 - t1 - forwardNanos), ms(t3 - t2), ms(t3 - t0),
                tilesAndForward[0], cells.size());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
