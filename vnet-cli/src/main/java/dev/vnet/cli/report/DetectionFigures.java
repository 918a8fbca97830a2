package dev.vnet.cli.report;

import dev.vnet.io.ImageFiles;
import dev.vnet.ops.Image8;
import dev.vnet.train.CellMatch;
import dev.vnet.train.TrainingListener.ImagePrediction;
import dev.vnet.train.detect.DetectedCell;
import dev.vnet.train.detect.DetectionConfig;
import dev.vnet.train.detect.ThresholdChoice;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figure of a point detector's validation image: the photograph at the working scale | the network's heat-map |
 * the cells at the chosen threshold, each found cell numbered and coloured by what it is (yellow: matched to a
 * labelled blast, red: a false alarm) and each missed blast circled in magenta with a cross. One look tells whether
 * the misses sit in clusters of touching blasts and what the false alarms are.
 */
public final class DetectionFigures {
    private static final Color MATCHED = Color.YELLOW;
    private static final Color FALSE_ALARM = new Color(255, 60, 60);
    private static final Color MISSED = Color.MAGENTA;

    private DetectionFigures() {}

    /**
     * What one validation image holds at the chosen threshold, in working pixels.
     *
     * @param found   the cells the decoder found
     * @param truth   the labelled blasts
     * @param matchOf for each labelled blast, the index of its found cell, or -1 when missed
     */
    record Cells(List<DetectedCell> found, List<CellMatch.Point> truth, int[] matchOf) {
        int matched() {
            int n = 0;
            for (int m : matchOf) {
                n += m >= 0 ? 1 : 0;
            }
            return n;
        }

        boolean isMatched(int foundIndex) {
            for (int m : matchOf) {
                if (m == foundIndex) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Decodes a prediction at {@code cellThreshold} and matches it to its labelled blasts the way the run's metrics
     * do, at the working scale.
     *
     * @param p             the prediction (heat-map and target at the working scale)
     * @param settings      the run's detection settings
     * @param cellThreshold the chosen cell threshold
     * @return the found cells, the labelled blasts and the matching
     */
    static Cells cells(ImagePrediction p, DetectionConfig settings, float cellThreshold) {
        int w = p.image().width();
        int h = p.image().height();
        List<DetectedCell> found = settings.decoder().withThreshold(cellThreshold).peaks(p.probabilities(), 0, w, h);
        List<CellMatch.Point> truth = new ArrayList<>();
        float[] target = p.truth();
        for (int i = 0; i < target.length; i++) {
            // The target holds exactly one pixel of value 1 per labelled blast (HeatMapTarget).
            if (target[i] >= 1 - 1e-6f) {
                truth.add(new CellMatch.Point(i % w, i / w));
            }
        }
        List<CellMatch.Point> points = found.stream().map(c -> new CellMatch.Point(c.x(), c.y())).toList();
        double distance = settings.matchDistance() * settings.workingScale().factor();
        return new Cells(found, truth, CellMatch.assign(points, truth, distance));
    }

    /**
     * Writes the three-panel figure of one validation image.
     *
     * @param file      the PNG file
     * @param p         the prediction
     * @param settings  the run's detection settings
     * @param choice    the thresholds chosen on validation, with per-image results
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, ImagePrediction p, DetectionConfig settings, ThresholdChoice choice)
            throws IOException {
        Image8 image = p.image();
        int w = image.width();
        int h = image.height();
        Cells cells = cells(p, settings, choice.cellThreshold());
        int scale = scale(w);
        int pw = w * scale;
        int ph = h * scale;
        BufferedImage base = ImageFiles.toBufferedImage(image);
        BufferedImage marked = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D mg = marked.createGraphics();
        try {
            mg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            mg.drawImage(base, 0, 0, pw, ph, null);
            drawCells(mg, cells, scale, settings.workingScale().targetDiameter() / 2 * scale);
        } finally {
            mg.dispose();
        }
        BufferedImage[] panels = {base, heatImage(p.probabilities(), w, h), marked};
        String[] titles = {"image (working scale)", "heat-map", String.format(Locale.ROOT,
                "cells at threshold %.2f", choice.cellThreshold())};
        BufferedImage fig = ValidationFigures.panels(panels, titles, pw, ph, caption(p, cells, choice));
        ImageFiles.write(fig, file);
    }

    private static String caption(ImagePrediction p, Cells cells, ThresholdChoice choice) {
        String name = p.sample().name();
        ThresholdChoice.ImageResult result = choice.images().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElse(null);
        int found = cells.found().size();
        int matched = cells.matched();
        String call = result == null ? "" : String.format(Locale.ROOT, "  image score %.2f, called %s", result.score(),
                result.calledAll() ? "ALL" : "healthy");
        return String.format(Locale.ROOT,
                "%s  label %s  blasts %d  found %d: matched %d (yellow), false alarms %d (red); missed %d (magenta)%s",
                name, p.sample().label() ? "ALL" : "healthy", cells.truth().size(), found, matched, found - matched,
                cells.truth().size() - matched, call);
    }

    /** {@return the whole-number magnification that makes a panel at least 320 px wide, so the caption fits} */
    static int scale(int width) {
        return Math.max(1, (320 + width - 1) / width);
    }

    private static void drawCells(Graphics2D g, Cells cells, int scale, double radius) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int fontSize = (int) Math.max(10, Math.round(radius * 0.8));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.min(fontSize, 16)));
        g.setStroke(new BasicStroke(2f));
        int d = (int) Math.round(2 * radius);
        for (int t = 0; t < cells.truth().size(); t++) {
            if (cells.matchOf()[t] >= 0) {
                continue;
            }
            CellMatch.Point c = cells.truth().get(t);
            int x = (int) Math.round((c.x() + 0.5) * scale);
            int y = (int) Math.round((c.y() + 0.5) * scale);
            int r = (int) Math.round(radius);
            g.setColor(MISSED);
            g.drawOval(x - r, y - r, d, d);
            g.drawLine(x - r / 3, y - r / 3, x + r / 3, y + r / 3);
            g.drawLine(x - r / 3, y + r / 3, x + r / 3, y - r / 3);
        }
        for (int i = 0; i < cells.found().size(); i++) {
            DetectedCell c = cells.found().get(i);
            int x = (int) Math.round((c.x() + 0.5) * scale);
            int y = (int) Math.round((c.y() + 0.5) * scale);
            int r = (int) Math.round(radius * 0.7);
            Color colour = cells.isMatched(i) ? MATCHED : FALSE_ALARM;
            g.setColor(colour);
            g.drawOval(x - r, y - r, 2 * r, 2 * r);
            String label = Integer.toString(i + 1);
            g.setColor(Color.BLACK);
            g.drawString(label, x + r + 1, y - r + 1);
            g.setColor(colour);
            g.drawString(label, x + r, y - r);
        }
    }

    /** The heat-map in a black–red–yellow–white scale, 0 black and 1 white. */
    static BufferedImage heatImage(float[] map, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = Math.max(0f, Math.min(1f, map[y * w + x]));
                int r = (int) Math.round(255 * Math.min(1f, 3 * v));
                int gr = (int) Math.round(255 * Math.max(0f, Math.min(1f, 3 * v - 1)));
                int b = (int) Math.round(255 * Math.max(0f, 3 * v - 2));
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }
}
