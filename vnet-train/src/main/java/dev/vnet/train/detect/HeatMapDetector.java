package dev.vnet.train.detect;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds blasts in a whole photograph of any size with a trained heat-map network: the photograph is brought to the
 * working scale, the network runs over it in tiles ({@link TiledInference}), and the {@link PeakDecoder} turns the
 * heat-map into cells in original pixels. Training-time validation, evaluation, segmentation and the Java API all
 * detect through this class, so they agree.
 */
public final class HeatMapDetector {
    private final DetectionConfig settings;
    private final TiledInference.TileModel model;

    /**
     * A detector of {@code model} under {@code settings} (whose thresholds it uses).
     *
     * @param model    the trained network (put in evaluation mode while it runs)
     * @param settings the detection settings it was trained with
     */
    public HeatMapDetector(VNet model, DetectionConfig settings) {
        this(TiledInference.of(model), settings);
    }

    /**
     * A detector of any tile model (a network or a stand-in) under {@code settings}.
     *
     * @param model    the tile model
     * @param settings the detection settings
     */
    public HeatMapDetector(TiledInference.TileModel model, DetectionConfig settings) {
        this.model = model;
        this.settings = settings;
    }

    /** {@return the settings} */
    public DetectionConfig settings() {
        return settings;
    }

    /**
     * What the detector found in one photograph.
     *
     * @param cells     the cells reaching the cell threshold, in original pixels, highest score first
     * @param heatMap   the heat-map at the working scale, {@code mapHeight × mapWidth} row-major
     * @param mapWidth  the heat-map's width
     * @param mapHeight the heat-map's height
     * @param score     the image score: the highest cell score, 0 without a cell
     * @param calledAll whether the image score reaches the image threshold
     */
    public record Detection(List<DetectedCell> cells, float[] heatMap, int mapWidth, int mapHeight, float score,
                            boolean calledAll) {}

    /**
     * {@return the heat-map of a photograph at the working scale}
     *
     * @param original the photograph, gray or RGB, any size
     */
    public float[] heatMap(Image8 original) {
        return settings.tiling().apply(settings.workingScale().apply(original), model);
    }

    /**
     * Detects the blasts of one photograph.
     *
     * @param original the photograph, gray or RGB, any size
     * @return the cells, the heat-map and the image call
     */
    public Detection detect(Image8 original) {
        Image8 working = settings.workingScale().apply(original);
        float[] map = settings.tiling().apply(working, model);
        List<DetectedCell> all = settings.decoder().withThreshold(Math.min(settings.cellThreshold(),
                settings.imageThreshold())).decode(map, working.width(), working.height(), original.width(),
                original.height());
        float score = all.isEmpty() ? 0 : all.get(0).score();
        List<DetectedCell> cells = new ArrayList<>();
        for (DetectedCell c : all) {
            if (c.score() >= settings.cellThreshold()) {
                cells.add(c);
            }
        }
        return new Detection(cells, map, working.width(), working.height(), score, score >= settings.imageThreshold());
    }

    /**
     * {@return every peak down to {@link DetectionConfig#CANDIDATE_FLOOR}, in original pixels: what thresholds are
     * chosen from ({@link ThresholdChoice})}
     *
     * @param original the photograph
     */
    public List<DetectedCell> candidates(Image8 original) {
        Image8 working = settings.workingScale().apply(original);
        return candidates(settings.tiling().apply(working, model), working.width(), working.height(), original.width(),
                original.height());
    }

    /**
     * {@return the heat-map of an image already at the working scale ({@link ScaledImage#image()})}
     *
     * @param working the image at the working scale
     */
    public float[] heatMapOfScaled(Image8 working) {
        return settings.tiling().apply(working, model);
    }

    /**
     * {@return every peak of a working-scale heat-map down to {@link DetectionConfig#CANDIDATE_FLOOR}, in original
     * pixels}
     *
     * @param map            the heat-map, {@code height × width}
     * @param width          its width
     * @param height         its height
     * @param originalWidth  the original image's width
     * @param originalHeight the original image's height
     */
    public List<DetectedCell> candidates(float[] map, int width, int height, int originalWidth, int originalHeight) {
        return settings.decoder().withThreshold(DetectionConfig.CANDIDATE_FLOOR).decode(map, width, height,
                originalWidth, originalHeight);
    }
}
