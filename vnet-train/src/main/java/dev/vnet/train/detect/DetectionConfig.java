package dev.vnet.train.detect;

import java.util.Locale;

/**
 * How the point detector is trained and decoded: the working scale, the patches, the loss, the tiling and the two
 * thresholds. Saved with the training configuration of every checkpoint.
 *
 * @param blastDiameter   the expected blast diameter in original pixels (ALL-IDB1: 112)
 * @param targetDiameter  the blast diameter at the working scale, in working pixels (28)
 * @param patchSize       training patch side in working pixels
 * @param patchesPerEpoch training patches per epoch
 * @param loss            {@code focal} ({@link CenterFocalLoss}) or {@code bce} (binary cross-entropy on the soft
 *                        heat-map)
 * @param tileSize        nominal inference tile side in working pixels: with {@code tileBatch}, the pixels of one
 *                        forward pass ({@link TiledInference})
 * @param tileOverlap     least overlap of inference tiles in working pixels
 * @param tileBatch       nominal tiles per forward pass at inference: a pass holds at most
 *                        {@code tileBatch × tileSize²} pixels, the bound on inference memory
 * @param cellThreshold   the smallest peak that is a cell; the trainer replaces it by the one chosen on validation
 * @param imageThreshold  an image is called ALL when its highest cell score reaches this; chosen on validation too
 * @param matchDistance   the largest distance, in original pixels, at which a cell matches a labelled blast
 * @param pairDistance    labelled blasts closer than this, in original pixels, count as a touching pair
 */
public record DetectionConfig(double blastDiameter, double targetDiameter, int patchSize, int patchesPerEpoch,
                                String loss, int tileSize, int tileOverlap, int tileBatch, float cellThreshold,
                                float imageThreshold, double matchDistance, double pairDistance) {

    /** The lowest peak value decoded for choosing thresholds: every threshold worth trying lies above it. */
    public static final float CANDIDATE_FLOOR = 0.05f;

    /**
     * Validates the values.
     *
     * @param blastDiameter   the expected blast diameter in original pixels
     * @param targetDiameter  the blast diameter at the working scale, in working pixels
     * @param patchSize       training patch side in working pixels
     * @param patchesPerEpoch training patches per epoch
     * @param loss            {@code focal} or {@code bce}
     * @param tileSize        nominal inference tile side in working pixels
     * @param tileOverlap     least overlap of inference tiles in working pixels
     * @param tileBatch       nominal tiles per forward pass at inference
     * @param cellThreshold   the smallest peak that is a cell
     * @param imageThreshold  the image score from which an image is called ALL
     * @param matchDistance   the matching distance in original pixels
     * @param pairDistance    the distance of a touching pair in original pixels
     */
    public DetectionConfig {
        scale(blastDiameter, targetDiameter);
        if (patchSize < 16) {
            throw new IllegalArgumentException("patch size must be >= 16 working pixels, got " + patchSize);
        }
        if (patchesPerEpoch < 1) {
            throw new IllegalArgumentException("patches per epoch must be >= 1, got " + patchesPerEpoch);
        }
        if (!"focal".equals(loss) && !"bce".equals(loss)) {
            throw new IllegalArgumentException("detection loss must be focal or bce, got '" + loss + "'");
        }
        new TiledInference(tileSize, tileOverlap, tileBatch);
        if (!(cellThreshold > 0 && cellThreshold <= 1) || !(imageThreshold > 0 && imageThreshold <= 1)) {
            throw new IllegalArgumentException("detection thresholds must be in (0, 1], got cell " + cellThreshold
                    + ", image " + imageThreshold);
        }
        if (!(matchDistance > 0) || !(pairDistance > 0)) {
            throw new IllegalArgumentException("match and pair distances must be > 0 pixels, got " + matchDistance
                    + " and " + pairDistance);
        }
    }

    private static WorkingScale scale(double blastDiameter, double targetDiameter) {
        return new WorkingScale(blastDiameter, targetDiameter);
    }

    /**
     * {@return ALL-IDB1's detector: blasts of 112 px seen at 28 px (1/4), patches of 128, binary cross-entropy on the
     * soft heat-map (on touching clusters it learned faster and found more blasts than the focal loss: docs/presets.md), inference
     * passes of 5 × 256² pixels, so that a 2592×1944 photograph (648×486 at the working scale) runs whole in one, tiles
     * overlapping by 32 for larger ones, matching within 60 px and pairs within 120 px (the data card's "touching")}
     *
     * @param patchesPerEpoch training patches per epoch
     */
    public static DetectionConfig allIdb1(int patchesPerEpoch) {
        return new DetectionConfig(WorkingScale.ALL_IDB1_BLAST_DIAMETER, WorkingScale.DEFAULT_TARGET_DIAMETER, 128,
                patchesPerEpoch, "bce", 256, 32, 5, 0.3f, 0.5f, 60, 120);
    }

    /** {@return the working scale} */
    public WorkingScale workingScale() {
        return scale(blastDiameter, targetDiameter);
    }

    /** {@return the tiling of inference} */
    public TiledInference tiling() {
        return new TiledInference(tileSize, tileOverlap, tileBatch);
    }

    /** {@return the decoder at the working scale with the cell threshold} */
    public PeakDecoder decoder() {
        return PeakDecoder.forDiameter(targetDiameter, cellThreshold);
    }

    /** {@return the training loss} */
    public dev.vnet.core.loss.Loss trainingLoss() {
        return "focal".equals(loss) ? CenterFocalLoss.CENTERNET : new dev.vnet.core.loss.BceWithLogitsLoss();
    }

    /**
     * {@return these settings with other thresholds}
     *
     * @param cell  the cell threshold
     * @param image the image threshold
     */
    public DetectionConfig withThresholds(float cell, float image) {
        return new DetectionConfig(blastDiameter, targetDiameter, patchSize, patchesPerEpoch, loss, tileSize, tileOverlap,
                tileBatch, cell, image, matchDistance, pairDistance);
    }

    /**
     * {@return these settings for blasts of another size in original pixels (another microscope or camera)}
     *
     * @param pixels the expected blast diameter in original pixels
     */
    public DetectionConfig withBlastDiameter(double pixels) {
        return new DetectionConfig(pixels, targetDiameter, patchSize, patchesPerEpoch, loss, tileSize, tileOverlap,
                tileBatch, cellThreshold, imageThreshold, matchDistance * pixels / blastDiameter,
                pairDistance * pixels / blastDiameter);
    }

    /**
     * {@return these settings with another loss}
     *
     * @param name {@code focal} or {@code bce}
     */
    public DetectionConfig withLoss(String name) {
        return new DetectionConfig(blastDiameter, targetDiameter, patchSize, patchesPerEpoch,
                name.toLowerCase(Locale.ROOT), tileSize, tileOverlap, tileBatch, cellThreshold, imageThreshold,
                matchDistance, pairDistance);
    }

    /**
     * {@return these settings with another number of patches per epoch}
     *
     * @param n patches per epoch
     */
    public DetectionConfig withPatchesPerEpoch(int n) {
        return new DetectionConfig(blastDiameter, targetDiameter, patchSize, n, loss, tileSize, tileOverlap, tileBatch,
                cellThreshold, imageThreshold, matchDistance, pairDistance);
    }

    /**
     * {@return these settings with another patch size}
     *
     * @param n patch side in working pixels
     */
    public DetectionConfig withPatchSize(int n) {
        return new DetectionConfig(blastDiameter, targetDiameter, n, patchesPerEpoch, loss, tileSize, tileOverlap,
                tileBatch, cellThreshold, imageThreshold, matchDistance, pairDistance);
    }
}
