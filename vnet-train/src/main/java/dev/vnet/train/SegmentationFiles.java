package dev.vnet.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vnet.io.AtomicFiles;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.XycParser;
import dev.vnet.ops.Image8;
import dev.vnet.train.detect.DetectedCell;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The files of one segmented image, for people and for other programs: the mask, an overlay with numbered cells and
 * their scores, the {@code .xyc} of the centres, a CSV of the cells and a GeoJSON of points that QuPath opens; and the
 * {@code counts.csv} of a batch. Cell numbers are the same in the overlay, the CSV and the GeoJSON: the order of
 * {@link Segmenter.Result#cells()}, from 1.
 */
public final class SegmentationFiles {
    /** The classification QuPath shows for every detected cell. */
    public static final String CLASSIFICATION = "Blast";

    /** The header of {@link #cellsCsv}. */
    public static final String CELLS_HEADER = "cell,x,y,score,area";

    /** The header of {@link #countsCsv}. */
    public static final String COUNTS_HEADER = "image,count,mask,overlay,xyc,cells,geojson";

    private SegmentationFiles() {}

    /**
     * Writes every file of {@code files} for one image, each atomically.
     *
     * @param files        where to write
     * @param image        the image, at its original size
     * @param result       its segmentation
     * @param markerRadius the radius of a cell's circle in the overlay, in original pixels ({@code <= 0}: from each
     *                     cell's area)
     * @throws IOException if a file cannot be written
     */
    public static void write(Segmenter.Outputs files, Image8 image, Segmenter.Result result, double markerRadius)
            throws IOException {
        Path dir = files.mask().toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        ImageFiles.write(result.mask(), files.mask());
        ImageFiles.write(overlay(image, result, markerRadius), files.overlay());
        XycParser.write(result.centres(), files.xyc());
        AtomicFiles.writeString(files.cells(), cellsCsv(result.cells()));
        AtomicFiles.writeString(files.geojson(), geoJson(result.cells()));
    }

    /**
     * {@return one line per cell under {@value #CELLS_HEADER}: its number, centre (original pixels), score in [0, 1]
     * and area (original pixels squared)}
     *
     * @param cells the cells, in the order they are numbered
     */
    public static String cellsCsv(List<DetectedCell> cells) {
        StringBuilder b = new StringBuilder(CELLS_HEADER).append('\n');
        for (int i = 0; i < cells.size(); i++) {
            DetectedCell c = cells.get(i);
            b.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%.4f,%.1f%n", i + 1, c.x(), c.y(), c.score(), c.area()));
        }
        return b.toString();
    }

    /**
     * {@return a GeoJSON FeatureCollection with a Point feature per cell, in original pixels (x right, y down: QuPath's
     * image coordinates)} Each feature is a QuPath annotation classified {@value #CLASSIFICATION}, named by its number,
     * with its score and area as properties and as QuPath measurements.
     *
     * @param cells the cells, in the order they are numbered
     */
    public static String geoJson(List<DetectedCell> cells) {
        JsonArray features = new JsonArray();
        for (int i = 0; i < cells.size(); i++) {
            DetectedCell c = cells.get(i);
            JsonObject geometry = new JsonObject();
            geometry.addProperty("type", "Point");
            JsonArray xy = new JsonArray();
            xy.add(c.x());
            xy.add(c.y());
            geometry.add("coordinates", xy);
            JsonObject classification = new JsonObject();
            classification.addProperty("name", CLASSIFICATION);
            JsonArray color = new JsonArray();
            color.add(220);
            color.add(30);
            color.add(30);
            classification.add("color", color);
            JsonObject measurements = new JsonObject();
            measurements.addProperty("score", c.score());
            measurements.addProperty("area", c.area());
            JsonObject properties = new JsonObject();
            properties.addProperty("objectType", "annotation");
            properties.addProperty("name", Integer.toString(i + 1));
            properties.add("classification", classification);
            properties.addProperty("score", c.score());
            properties.addProperty("area", c.area());
            properties.add("measurements", measurements);
            JsonObject feature = new JsonObject();
            feature.addProperty("type", "Feature");
            feature.add("geometry", geometry);
            feature.add("properties", properties);
            features.add(feature);
        }
        JsonObject collection = new JsonObject();
        collection.addProperty("type", "FeatureCollection");
        collection.add("features", features);
        return new GsonBuilder().setPrettyPrinting().create().toJson(collection) + "\n";
    }

    /**
     * {@return the image with the mask tinted red and each cell circled in yellow, labelled with its number and score}
     *
     * @param image        the image, at its original size
     * @param result       its segmentation
     * @param markerRadius the circle's radius in original pixels ({@code <= 0}: the radius of a disc of the cell's area)
     */
    public static BufferedImage overlay(Image8 image, Segmenter.Result result, double markerRadius) {
        float[] mask = new float[result.mask().data().length];
        byte[] m = result.mask().data();
        for (int i = 0; i < m.length; i++) {
            mask[i] = (m[i] & 0xFF) / 255f;
        }
        BufferedImage out = Figures.overlay(ImageFiles.toBufferedImage(image), mask, 0, 0.5f, null, 0);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Labels readable at a glance on a 2592-px photograph and on a 128-px test image alike.
            int fontSize = Math.max(10, Math.round(Math.max(out.getWidth(), out.getHeight()) / 90f));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
            g.setStroke(new BasicStroke(Math.max(1f, fontSize / 8f)));
            List<DetectedCell> cells = result.cells();
            for (int i = 0; i < cells.size(); i++) {
                DetectedCell c = cells.get(i);
                double r = markerRadius > 0 ? markerRadius : Math.max(2, Math.sqrt(c.area() / Math.PI));
                int x = (int) Math.round(c.x() - r);
                int y = (int) Math.round(c.y() - r);
                int d = (int) Math.round(2 * r);
                g.setColor(Color.YELLOW);
                g.drawOval(x, y, d, d);
                String label = String.format(Locale.ROOT, "%d  %.2f", i + 1, c.score());
                int lx = (int) Math.round(c.x() + r * 0.75);
                int ly = (int) Math.round(c.y() - r * 0.75);
                g.setColor(Color.BLACK);
                g.drawString(label, lx + 1, ly + 1);
                g.setColor(Color.YELLOW);
                g.drawString(label, lx, ly);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * One image of a batch, a line of {@code counts.csv}.
     *
     * @param image the image file
     * @param count the number of cells found
     * @param files the files written for it
     */
    public record CountsRow(Path image, int count, Segmenter.Outputs files) {}

    /**
     * {@return {@code counts.csv}: under {@value #COUNTS_HEADER}, a line per image with its path as given, its count
     * and the names of its files (in the same folder as {@code counts.csv})}
     *
     * @param rows the images, in order
     */
    public static String countsCsv(List<CountsRow> rows) {
        StringBuilder b = new StringBuilder(COUNTS_HEADER).append('\n');
        for (CountsRow row : rows) {
            b.append(csvField(row.image().toString())).append(',').append(row.count());
            for (Path f : row.files().all()) {
                b.append(',').append(csvField(f.getFileName().toString()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
    private static String csvField(String s) {
        return s.matches("[^\",\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
