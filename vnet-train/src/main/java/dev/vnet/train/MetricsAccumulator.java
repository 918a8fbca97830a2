package dev.vnet.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the loss and the per-image predictions of one pass over a data set and turns them into
 * {@link Metrics}.
 *
 * <p>Pixel counts are taken at the model's resolution, on the same masks the loss sees. Cells are
 * detected at the model's resolution and their centroids scaled back to the original image's pixels,
 * where they are matched to the {@code .xyc} centroids within {@link EvaluationConfig#matchDistance}
 * original pixels. An image counts as ALL when at least one cell is detected.
 */
public final class MetricsAccumulator {
    private final EvaluationConfig settings;
    private double lossSum;
    private long lossCount;
    private int images;
    private PixelCounts pixels = PixelCounts.EMPTY;
    private CellMatch cells = CellMatch.EMPTY;
    private ImageCounts image = ImageCounts.EMPTY;

    /**
     * An empty accumulator using {@code settings}.
     *
     * @param settings threshold, minimum area and matching distance
     */
    public MetricsAccumulator(EvaluationConfig settings) {
        this.settings = settings;
    }

    /**
     * Adds a batch's mean loss over {@code batchSize} images.
     *
     * @param meanLoss  the mean loss of the batch
     * @param batchSize the images in the batch
     */
    public void addLoss(double meanLoss, int batchSize) {
        lossSum += meanLoss * batchSize;
        lossCount += batchSize;
    }

    /**
     * Adds one image's prediction.
     *
     * @param probabilities  predicted probabilities, {@code height × width} at {@code offset}
     * @param truth          the true mask at the same resolution and offset
     * @param offset         index of the image's first value in both arrays
     * @param width          the map's width (model resolution)
     * @param height         the map's height
     * @param trueCentroids  the true cell centres, in original-image pixels
     * @param originalWidth  the original image's width
     * @param originalHeight the original image's height
     * @param labelAll       whether the image is an ALL ({@code _1}) image
     * @return the cells detected, in original-image pixels
     */
    public List<CellDetector.Cell> addImage(float[] probabilities, float[] truth, int offset, int width, int height,
                                            List<CellMatch.Point> trueCentroids, int originalWidth, int originalHeight,
                                            boolean labelAll) {
        int n = width * height;
        pixels = pixels.plus(PixelCounts.of(probabilities, truth, offset, n, settings.threshold()));
        List<CellDetector.Cell> found = CellDetector.detect(probabilities, offset, width, height,
                settings.threshold(), settings.minArea());
        double sx = (double) originalWidth / width;
        double sy = (double) originalHeight / height;
        List<CellDetector.Cell> scaled = new ArrayList<>(found.size());
        List<CellMatch.Point> points = new ArrayList<>(found.size());
        for (CellDetector.Cell c : found) {
            // Pixel centres map as (x + 0.5)·scale − 0.5, the convention of the resize.
            CellDetector.Cell o = new CellDetector.Cell((c.x() + 0.5) * sx - 0.5, (c.y() + 0.5) * sy - 0.5, c.area());
            scaled.add(o);
            points.add(o.centroid());
        }
        double distance = settings.matchDistance(originalWidth);
        cells = cells.plus(CellMatch.match(points, trueCentroids, distance));
        image = image.plus(ImageCounts.of(!found.isEmpty(), labelAll));
        images++;
        return scaled;
    }

    /**
     * Adds counts measured elsewhere (the point detector's, on its training patches).
     *
     * @param p      pixel counts
     * @param c      cell counts
     * @param i      image counts
     * @param images the images (or patches) they were measured on
     */
    public void add(PixelCounts p, CellMatch c, ImageCounts i, int images) {
        pixels = pixels.plus(p);
        cells = cells.plus(c);
        image = image.plus(i);
        this.images += images;
    }

    /** {@return the metrics so far} */
    public Metrics result() {
        return new Metrics(lossCount == 0 ? Double.NaN : lossSum / lossCount, images, pixels, cells, image);
    }
}
