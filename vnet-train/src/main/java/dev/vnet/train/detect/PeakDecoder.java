package dev.vnet.train.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a heat-map into cells: its local maxima, at least {@code minSpacing} apart, whose value reaches the
 * threshold. The one decoder of the detector: training-time validation, {@code eval}, {@code segment} and the Java
 * API all call it, so the numbers a run reports are those of what {@code segment} writes.
 *
 * <ul>
 *   <li>A <b>local maximum</b> is a pixel no lower than its 8 neighbours; a plateau (equal neighbouring values, as a
 *       saturated network writes) is one maximum at its centroid, and only when no pixel around it is higher.
 *       Pixels outside the map do not exist, so a cell cut by the border still has its peak.</li>
 *   <li><b>Spacing</b>: maxima are taken from the highest down (ties in raster order) and one closer than
 *       {@code minSpacing} to a kept one is dropped. With the spacing at about half a blast's diameter, two
 *       touching blasts (centres one diameter apart) stay two cells, while the ripples of one blurred peak do
 *       not become two.</li>
 *   <li>Because the spacing rule looks only at higher maxima, the cells above a threshold {@code t} are exactly the
 *       cells of a lower threshold whose score reaches {@code t}: decoding once at a low threshold and filtering
 *       by score gives every threshold's answer ({@link ThresholdChoice} relies on it).</li>
 *   <li>The centre is refined to a fraction of a pixel by a parabola through the peak and its neighbours in each
 *       direction; the area counts the pixels within one diameter that are at least half the peak's height and
 *       closer to it than to any other kept peak.</li>
 * </ul>
 *
 * @param diameter   the blast diameter at the map's scale, in pixels
 * @param minSpacing the smallest distance between two cells, in the map's pixels
 * @param threshold  the smallest peak value that counts as a cell, in (0, 1]
 */
public record PeakDecoder(double diameter, double minSpacing, float threshold) {

    /** The default spacing as a fraction of the blast diameter. */
    public static final double SPACING_PER_DIAMETER = 0.55;

    /**
     * Validates the values.
     *
     * @param diameter   the blast diameter at the map's scale, in pixels
     * @param minSpacing the smallest distance between two cells, in the map's pixels
     * @param threshold  the smallest peak value that counts as a cell, in (0, 1]
     */
    public PeakDecoder {
        if (!(diameter > 0) || Double.isInfinite(diameter)) {
            throw new IllegalArgumentException("decoder: blast diameter must be > 0 pixels, got " + diameter);
        }
        if (!(minSpacing >= 1) || Double.isInfinite(minSpacing)) {
            throw new IllegalArgumentException("decoder: minimum spacing must be >= 1 pixel, got " + minSpacing);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("decoder: threshold must be in (0, 1], got " + threshold);
        }
    }

    /**
     * {@return a decoder for blasts of {@code diameter} pixels: spacing 0.55 × the diameter}
     *
     * @param diameter  the blast diameter at the map's scale, in pixels
     * @param threshold the smallest peak value that counts as a cell
     */
    public static PeakDecoder forDiameter(double diameter, float threshold) {
        return new PeakDecoder(diameter, Math.max(1, SPACING_PER_DIAMETER * diameter), threshold);
    }

    /**
     * {@return this decoder with another threshold}
     *
     * @param t the smallest peak value that counts as a cell
     */
    public PeakDecoder withThreshold(float t) {
        return new PeakDecoder(diameter, minSpacing, t);
    }

    /**
     * {@return this decoder with another minimum spacing}
     *
     * @param pixels the smallest distance between two cells, in the map's pixels
     */
    public PeakDecoder withSpacing(double pixels) {
        return new PeakDecoder(diameter, pixels, threshold);
    }

    /**
     * Finds the cells of one {@code height × width} map, in the map's own pixels.
     *
     * @param map    values in [0, 1], row-major from {@code offset}
     * @param offset index of the map's first value
     * @param width  map width
     * @param height map height
     * @return the cells, highest score first
     */
    public List<DetectedCell> peaks(float[] map, int offset, int width, int height) {
        if (offset < 0 || map.length - offset < (long) width * height) {
            throw new IllegalArgumentException("decoder: a " + width + "x" + height + " map does not fit an array of "
                    + map.length + " from " + offset);
        }
        List<double[]> candidates = maxima(map, offset, width, height);
        // Highest first, ties in raster order of the maximum's first pixel (candidates come in raster order).
        candidates.sort((a, b) -> Double.compare(b[2], a[2]));
        List<double[]> kept = new ArrayList<>();
        double min2 = minSpacing * minSpacing;
        for (double[] c : candidates) {
            // Strictly closer than the spacing: a maximum exactly minSpacing away is a second cell.
            if (!PurpleBlobs.anyWithin(kept, c, Math.nextDown(min2))) {
                kept.add(c);
            }
        }
        double[] areas = areas(map, offset, width, height, kept);
        List<DetectedCell> cells = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            double[] k = kept.get(i);
            cells.add(new DetectedCell(k[0], k[1], (float) k[2], areas[i]));
        }
        return cells;
    }

    /**
     * Finds the cells of a map computed at the working scale of an {@code originalWidth × originalHeight} image and
     * returns them in original pixels (centres mapped pixel centre to pixel centre, areas scaled by both factors).
     *
     * @param map            the heat-map, {@code height × width} row-major
     * @param width          map width
     * @param height         map height
     * @param originalWidth  the original image's width
     * @param originalHeight the original image's height
     * @return the cells in original pixels, highest score first
     */
    public List<DetectedCell> decode(float[] map, int width, int height, int originalWidth, int originalHeight) {
        double areaScale = (double) originalWidth / width * originalHeight / height;
        List<DetectedCell> out = new ArrayList<>();
        for (DetectedCell c : peaks(map, 0, width, height)) {
            out.add(new DetectedCell(WorkingScale.toOriginal(c.x(), originalWidth, width),
                    WorkingScale.toOriginal(c.y(), originalHeight, height), c.score(), c.area() * areaScale));
        }
        return out;
    }

    /** Every local maximum (plateaus as one) reaching the threshold, as {x, y, value}, in raster order. */
    private List<double[]> maxima(float[] map, int offset, int w, int h) {
        List<double[]> out = new ArrayList<>();
        boolean[] seen = new boolean[w * h];
        int[] queue = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = map[offset + i];
                if (seen[i] || !(v >= threshold) || higherNeighbour(map, offset, w, h, x, y, v)) {
                    continue;
                }
                // Collect the plateau of equal values around (x, y); it is a maximum unless something next to it is higher.
                int n = 0;
                queue[n++] = i;
                seen[i] = true;
                boolean isMax = true;
                double sx = 0;
                double sy = 0;
                for (int q = 0; q < n; q++) {
                    int px = queue[q] % w;
                    int py = queue[q] / w;
                    sx += px;
                    sy += py;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int nx = px + dx;
                            int ny = py + dy;
                            if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= w || ny >= h) {
                                continue;
                            }
                            float nv = map[offset + ny * w + nx];
                            if (nv > v) {
                                isMax = false;
                            } else if (nv == v && !seen[ny * w + nx]) {
                                seen[ny * w + nx] = true;
                                queue[n++] = ny * w + nx;
                            }
                        }
                    }
                }
                if (!isMax) {
                    continue;
                }
                double cx = sx / n;
                double cy = sy / n;
                if (n == 1) {
                    cx += parabolaOffset(map, offset, w, x, y, 1, 0, x > 0 && x < w - 1);
                    cy += parabolaOffset(map, offset, w, x, y, 0, 1, y > 0 && y < h - 1);
                }
                out.add(new double[] {cx, cy, v});
            }
        }
        return out;
    }

    /** {@return whether a neighbour of (x, y) is higher than {@code v}} */
    private static boolean higherNeighbour(float[] map, int offset, int w, int h, int x, int y, float v) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if ((dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < w && ny < h && map[offset + ny * w + nx] > v) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The vertex of the parabola through the peak and its two neighbours along (dx, dy), within ±0.5 px. */
    private static double parabolaOffset(float[] map, int offset, int w, int x, int y, int dx, int dy, boolean inside) {
        if (!inside) {
            return 0;
        }
        double l = map[offset + (y - dy) * w + (x - dx)];
        double c = map[offset + y * w + x];
        double r = map[offset + (y + dy) * w + (x + dx)];
        double curvature = l - 2 * c + r;
        if (curvature >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (l - r) / curvature));
    }

    /** For each kept peak, the pixels within one diameter, at least half its height, nearer to it than to the others. */
    private double[] areas(float[] map, int offset, int w, int h, List<double[]> kept) {
        double[] areas = new double[kept.size()];
        if (kept.isEmpty()) {
            return areas;
        }
        int r = (int) Math.ceil(diameter);
        double r2 = diameter * diameter;
        for (int k = 0; k < kept.size(); k++) {
            double[] p = kept.get(k);
            // Only peaks within two diameters can own a pixel within one diameter of this one.
            List<double[]> rivals = new ArrayList<>();
            for (int j = 0; j < kept.size(); j++) {
                double[] q = kept.get(j);
                if (j != k && (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]) <= 4 * r2) {
                    rivals.add(q);
                }
            }
            float half = (float) (p[2] / 2);
            int x0 = Math.max(0, (int) Math.floor(p[0]) - r);
            int x1 = Math.min(w - 1, (int) Math.ceil(p[0]) + r);
            int y0 = Math.max(0, (int) Math.floor(p[1]) - r);
            int y1 = Math.min(h - 1, (int) Math.ceil(p[1]) + r);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double d2 = (x - p[0]) * (x - p[0]) + (y - p[1]) * (y - p[1]);
                    if (d2 <= r2 && map[offset + y * w + x] >= half && nearest(rivals, x, y, d2)) {
                        areas[k]++;
                    }
                }
            }
        }
        return areas;
    }

    private static boolean nearest(List<double[]> rivals, int x, int y, double d2) {
        for (double[] q : rivals) {
            if ((x - q[0]) * (x - q[0]) + (y - q[1]) * (y - q[1]) < d2) {
                return false;
            }
        }
        return true;
    }
}
