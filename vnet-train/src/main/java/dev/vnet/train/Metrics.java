package dev.vnet.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every number one evaluation reports: the loss, pixel-level ratios (with the accuracy of predicting no
 * blast at all next to pixel accuracy), cell-level and image-level scores, and the counts behind them.
 *
 * @param loss   the mean loss per image ({@code NaN} when no loss was computed, e.g. in {@code eval})
 * @param images the number of images evaluated
 * @param pixels pixel confusion counts, summed over images
 * @param cells  cell matching counts, summed over images
 * @param image  image-level counts
 */
public record Metrics(double loss, int images, PixelCounts pixels, CellMatch cells, ImageCounts image) {

    /** The metric names, in the order of {@link #toMap()}, the CSV columns and {@code report.json}. */
    public static final String[] KEYS = {"loss", "dice", "iou", "pixel_accuracy", "background_accuracy",
        "precision", "recall", "cell_sensitivity", "cell_precision", "cell_f1", "image_sensitivity",
        "image_specificity"};

    /** {@return dice of the predicted masks (micro-averaged over pixels)} */
    public double dice() {
        return pixels.dice();
    }

    /**
     * Cell-level F1.
     *
     * @return the cell-level F1
     */
    public double cellF1() {
        return cells.f1();
    }

    /** {@return the named values, keyed by {@link #KEYS}} */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("dice", pixels.dice());
        m.put("iou", pixels.iou());
        m.put("pixel_accuracy", pixels.pixelAccuracy());
        m.put("background_accuracy", pixels.backgroundAccuracy());
        m.put("precision", pixels.precision());
        m.put("recall", pixels.recall());
        m.put("cell_sensitivity", cells.sensitivity());
        m.put("cell_precision", cells.precision());
        m.put("cell_f1", cells.f1());
        m.put("image_sensitivity", image.sensitivity());
        m.put("image_specificity", image.specificity());
        return m;
    }

    /** {@return one line for logs; without the loss when none was computed, and "—" for a ratio of nothing} */
    public String summary() {
        String line = String.format(java.util.Locale.ROOT,
                "loss %.4f  dice %.3f  iou %.3f  pixel acc %.4f (all-background %.4f)  cell F1 %.3f  image sens %.2f spec %.2f",
                loss, pixels.dice(), pixels.iou(), pixels.pixelAccuracy(), pixels.backgroundAccuracy(), cells.f1(),
                image.sensitivity(), image.specificity());
        return (Double.isNaN(loss) ? line.replaceFirst("^loss NaN  ", "") : line).replace("NaN", "—");
    }
}
