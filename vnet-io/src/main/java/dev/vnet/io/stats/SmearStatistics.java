package dev.vnet.io.stats;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.ConnectedComponents;
import dev.vnet.ops.Image8;
import dev.vnet.ops.Point;
import dev.vnet.ops.Resize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures a folder of smears in the ALL-IDB1 layout the way the project's card of ALL-IDB1 was measured, so that
 * the synthetic smears can be held to the real ones and anyone can measure their own photographs:
 * <ul>
 *   <li>blasts per ALL image, blast centres within {@value #BORDER} px of the border, and the distance from each
 *       blast centre to the nearest other one in its image;</li>
 *   <li>purple (nuclear-stained) objects, segmented at a quarter of the resolution ({@link Resize.Interpolation#AREA}):
 *       OpenCV HSV hue {@value #HUE_MIN}..{@value #HUE_MAX} (of 180) and saturation at least {@value #SAT_MIN},
 *       opened with a 3×3 square, 8-connected components of at least {@value #MIN_AREA} px² counted at full size;
 *       those whose centroid has no labelled centre within {@value #MATCH} px are the objects a detector must not
 *       call blasts, and those that hold exactly one labelled centre are the isolated blasts;</li>
 *   <li>per-image mean L*a*b* (OpenCV's 8-bit scale) of the background (the brightest {@value #BACKGROUND_SHARE}
 *       of the non-purple pixels by L), the red cells (the darkest {@value #RED_SHARE} of them) and the purple
 *       pixels, and the purple share of the image; all at the quarter resolution.</li>
 * </ul>
 * Sizes and distances are in pixels of the original image. {@link #table} prints the card's tables.
 */
public final class SmearStatistics {
    /** Lowest OpenCV hue (0..179) of a purple pixel. */
    public static final int HUE_MIN = 115;
    /** Highest OpenCV hue of a purple pixel. */
    public static final int HUE_MAX = 170;
    /** Lowest OpenCV saturation (0..255) of a purple pixel. */
    public static final int SAT_MIN = 70;
    /** Smallest purple object, in px² of the original image. */
    public static final int MIN_AREA = 1500;
    /** Distance in px within which a labelled centre accounts for a purple object. */
    public static final int MATCH = 60;
    /** Distance in px from the border within which a blast centre counts as near it. */
    public static final int BORDER = 60;
    /** Distance in px within which two blast centres count as touching. */
    public static final int TOUCHING = 120;
    /** Share of the non-purple pixels, the brightest, taken as background. */
    public static final double BACKGROUND_SHARE = 0.3;
    /** Share of the non-purple pixels, the darkest, taken as red cells. */
    public static final double RED_SHARE = 0.4;
    private static final int SCALE = 4;

    private SmearStatistics() {}

    /**
     * What one image measures.
     *
     * @param id                ImXXX_Y
     * @param width             image width in pixels
     * @param height            image height in pixels
     * @param all               whether it is an ALL image
     * @param blasts            labelled blast centres
     * @param blastsNearBorder  labelled centres within {@link #BORDER} px of the border
     * @param nearestBlast      per labelled blast, the distance to the nearest other one (none for a lone blast)
     * @param unlabelledObjects areas in px² of the purple objects without a labelled centre within {@link #MATCH} px
     * @param isolatedBlasts    equivalent diameters in px of the purple objects holding exactly one labelled centre
     * @param isolatedTexture   per isolated blast, the standard deviation of L inside its object (its texture)
     * @param unlabelledTexture per unlabelled object, the standard deviation of L inside it
     * @param background        mean L, a, b of the background
     * @param redCells          mean L, a, b of the red cells
     * @param nuclei            mean L, a, b of the purple pixels (NaN when there are none)
     * @param purpleShare       share of the image's pixels that are purple
     */
    public record ImageStatistics(String id, int width, int height, boolean all, int blasts, int blastsNearBorder,
                                  double[] nearestBlast, double[] unlabelledObjects, double[] isolatedBlasts,
                                  double[] isolatedTexture, double[] unlabelledTexture, double[] background,
                                  double[] redCells, double[] nuclei, double purpleShare) {}

    /**
     * Measures every image of an ALL-IDB1 folder (problems of the scan are skipped).
     *
     * @param dir the folder (as {@link AllIdb1Dataset#scan} takes it)
     * @return one measure per image, in the order of the scan
     * @throws IOException if the folder or an image cannot be read
     */
    public static List<ImageStatistics> measure(Path dir) throws IOException {
        DatasetScan<AllIdb1Sample> scan = AllIdb1Dataset.scan(dir);
        List<ImageStatistics> out = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            out.add(measure(s.id(), ImageFiles.readRgb(s.imagePath()), s.centres(), s.label()));
        }
        return out;
    }

    /**
     * Measures one image.
     *
     * @param id      the image's name, for the table
     * @param rgb     the RGB image
     * @param centres its labelled blast centres (x = column, y = row)
     * @param all     whether it is an ALL image
     * @return the measures
     */
    public static ImageStatistics measure(String id, Image8 rgb, List<Point> centres, boolean all) {
        Image8.requireChannels("SmearStatistics image " + id, rgb.channels(), 3);
        int w = rgb.width();
        int h = rgb.height();
        int near = 0;
        for (Point p : centres) {
            if (p.x() < BORDER || p.y() < BORDER || p.x() >= w - BORDER || p.y() >= h - BORDER) {
                near++;
            }
        }
        double[] nearest = nearestNeighbours(centres);

        int qw = Math.max(1, w / SCALE);
        int qh = Math.max(1, h / SCALE);
        Image8 small = Resize.apply(rgb, qw, qh, Resize.Interpolation.AREA);
        Image8 hsv = ColorConvert.rgbToHsv(small);
        Image8 lab = ColorConvert.rgbToLab(small);
        int n = qw * qh;
        boolean[] purple = new boolean[n];
        int purpleCount = 0;
        for (int i = 0; i < n; i++) {
            int hue = hsv.data()[3 * i] & 0xFF;
            int sat = hsv.data()[3 * i + 1] & 0xFF;
            purple[i] = hue >= HUE_MIN && hue <= HUE_MAX && sat >= SAT_MIN;
            purpleCount += purple[i] ? 1 : 0;
        }
        boolean[] opened = open3x3(purple, qw, qh);
        Image8 mask = new Image8(qw, qh, 1);
        for (int i = 0; i < n; i++) {
            mask.data()[i] = (byte) (opened[i] ? 255 : 0);
        }
        ConnectedComponents.Result blobs = ConnectedComponents.label(mask);
        double scale2 = (double) w * h / n;
        // Per object: sum and sum of squares of L over its pixels, for its texture.
        double[] lSum = new double[blobs.count() + 1];
        double[] lSquares = new double[blobs.count() + 1];
        for (int i = 0; i < n; i++) {
            int label = blobs.labels()[i];
            double l = lab.data()[3 * i] & 0xFF;
            lSum[label] += l;
            lSquares[label] += l * l;
        }
        List<Double> unlabelled = new ArrayList<>();
        List<Double> isolated = new ArrayList<>();
        List<Double> unlabelledTexture = new ArrayList<>();
        List<Double> isolatedTexture = new ArrayList<>();
        for (ConnectedComponents.Component c : blobs.components()) {
            double area = c.area() * scale2;
            if (area < MIN_AREA) {
                continue;
            }
            double cx = (c.centroidX() + 0.5) * w / qw;
            double cy = (c.centroidY() + 0.5) * h / qh;
            boolean matched = false;
            int inside = 0;
            for (Point p : centres) {
                matched |= Math.hypot(p.x() - cx, p.y() - cy) <= MATCH;
                int qx = Math.min(qw - 1, p.x() * qw / w);
                int qy = Math.min(qh - 1, p.y() * qh / h);
                inside += blobs.labelAt(qx, qy) == c.label() ? 1 : 0;
            }
            double meanL = lSum[c.label()] / c.area();
            double sdL = Math.sqrt(Math.max(0, lSquares[c.label()] / c.area() - meanL * meanL));
            if (!matched) {
                unlabelled.add(area);
                unlabelledTexture.add(sdL);
            }
            if (inside == 1) {
                isolated.add(Math.sqrt(4 * area / Math.PI));
                isolatedTexture.add(sdL);
            }
        }
        double[] background = new double[3];
        double[] red = new double[3];
        double[] nuclei = new double[3];
        regionMeans(lab, purple, background, red, nuclei);
        return new ImageStatistics(id, w, h, all, centres.size(), near, nearest, toArray(unlabelled),
                toArray(isolated), toArray(isolatedTexture), toArray(unlabelledTexture), background, red, nuclei, purpleCount / (double) n);
    }

    /** {@return per centre, the distance to the nearest other centre; empty for fewer than two centres} */
    static double[] nearestNeighbours(List<Point> centres) {
        if (centres.size() < 2) {
            return new double[0];
        }
        double[] d = new double[centres.size()];
        for (int i = 0; i < d.length; i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < d.length; j++) {
                if (i != j) {
                    best = Math.min(best, Math.hypot(centres.get(i).x() - centres.get(j).x(),
                            centres.get(i).y() - centres.get(j).y()));
                }
            }
            d[i] = best;
        }
        return d;
    }

    /** A morphological opening with a 3×3 square; pixels outside the image do not take part (OpenCV's default). */
    static boolean[] open3x3(boolean[] mask, int w, int h) {
        return filter3x3(filter3x3(mask, w, h, true), w, h, false);
    }

    private static boolean[] filter3x3(boolean[] src, int w, int h, boolean erode) {
        boolean[] dst = new boolean[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = erode;
                for (int dy = -1; dy <= 1 && v == erode; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < w && src[yy * w + xx] != erode) {
                            v = !erode;
                            break;
                        }
                    }
                }
                dst[y * w + x] = v;
            }
        }
        return dst;
    }

    private static void regionMeans(Image8 lab, boolean[] purple, double[] background, double[] red, double[] nuclei) {
        byte[] d = lab.data();
        int[] hist = new int[256];
        int others = 0;
        double[] nucSum = new double[3];
        int nucCount = 0;
        for (int i = 0; i < purple.length; i++) {
            if (purple[i]) {
                for (int c = 0; c < 3; c++) {
                    nucSum[c] += d[3 * i + c] & 0xFF;
                }
                nucCount++;
            } else {
                hist[d[3 * i] & 0xFF]++;
                others++;
            }
        }
        for (int c = 0; c < 3; c++) {
            nuclei[c] = nucCount == 0 ? Double.NaN : nucSum[c] / nucCount;
        }
        // The L thresholds that take the darkest and the brightest shares; pixels on a threshold level are taken
        // in image order until the share is full, so the shares are exact.
        long redQuota = Math.round(RED_SHARE * others);
        long bgQuota = Math.round(BACKGROUND_SHARE * others);
        int redLevel = level(hist, redQuota, false);
        int bgLevel = level(hist, bgQuota, true);
        long redLeft = redQuota - countBelow(hist, redLevel, false);
        long bgLeft = bgQuota - countBelow(hist, bgLevel, true);
        double[] redSum = new double[3];
        double[] bgSum = new double[3];
        for (int i = 0; i < purple.length; i++) {
            if (purple[i]) {
                continue;
            }
            int l = d[3 * i] & 0xFF;
            if (l < redLevel || (l == redLevel && redLeft-- > 0)) {
                for (int c = 0; c < 3; c++) {
                    redSum[c] += d[3 * i + c] & 0xFF;
                }
            }
            if (l > bgLevel || (l == bgLevel && bgLeft-- > 0)) {
                for (int c = 0; c < 3; c++) {
                    bgSum[c] += d[3 * i + c] & 0xFF;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            red[c] = redQuota == 0 ? Double.NaN : redSum[c] / redQuota;
            background[c] = bgQuota == 0 ? Double.NaN : bgSum[c] / bgQuota;
        }
    }

    /** The L level at which the darkest (or brightest) {@code quota} pixels end. */
    private static int level(int[] hist, long quota, boolean brightest) {
        long acc = 0;
        for (int k = 0; k < 256; k++) {
            int v = brightest ? 255 - k : k;
            acc += hist[v];
            if (acc >= quota) {
                return v;
            }
        }
        return brightest ? 0 : 255;
    }

    private static long countBelow(int[] hist, int level, boolean brightest) {
        long acc = 0;
        for (int v = 0; v < 256; v++) {
            if (brightest ? v > level : v < level) {
                acc += hist[v];
            }
        }
        return acc;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---- summaries ---------------------------------------------------------------------------

    /**
     * {@return the {@code q}-th percentile (0..100) of {@code values} with linear interpolation between order
     * statistics (numpy's default); NaN for none}
     *
     * @param values the values (not changed)
     * @param q      the percentile, 0..100
     */
    public static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q / 100 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /**
     * The summary the card states, over a set of images.
     *
     * @param images              images measured
     * @param allImages           ALL images among them
     * @param blastsPerAllImage   labelled blasts per ALL image
     * @param blastsNearBorder    labelled centres within {@link #BORDER} px of the border, over all images
     * @param nearestBlast        every blast's distance to its nearest other blast, pooled
     * @param touchingShare       share of those distances below {@link #TOUCHING} px
     * @param unlabelledHealthy   unlabelled purple objects per healthy image
     * @param unlabelledAll       unlabelled purple objects per ALL image
     * @param unlabelledAreas     their areas (px²), healthy and ALL pooled
     * @param isolatedBlasts      equivalent diameters (px) of isolated blasts, pooled
     */
    public record Summary(int images, int allImages, double[] blastsPerAllImage, int blastsNearBorder,
                          double[] nearestBlast, double touchingShare, double[] unlabelledHealthy,
                          double[] unlabelledAll, double[] unlabelledAreas, double[] isolatedBlasts) {}

    /**
     * {@return the pooled summary of {@code images}}
     *
     * @param images the measures
     */
    public static Summary summarise(List<ImageStatistics> images) {
        List<Double> perAll = new ArrayList<>();
        List<Double> nn = new ArrayList<>();
        List<Double> healthyObjects = new ArrayList<>();
        List<Double> allObjects = new ArrayList<>();
        List<Double> areas = new ArrayList<>();
        List<Double> isolated = new ArrayList<>();
        int near = 0;
        for (ImageStatistics s : images) {
            near += s.blastsNearBorder();
            if (s.all()) {
                perAll.add((double) s.blasts());
                allObjects.add((double) s.unlabelledObjects().length);
            } else {
                healthyObjects.add((double) s.unlabelledObjects().length);
            }
            for (double d : s.nearestBlast()) {
                nn.add(d);
            }
            for (double a : s.unlabelledObjects()) {
                areas.add(a);
            }
            for (double d : s.isolatedBlasts()) {
                isolated.add(d);
            }
        }
        double[] nnArray = toArray(nn);
        double touching = nnArray.length == 0 ? Double.NaN
                : Arrays.stream(nnArray).filter(d -> d < TOUCHING).count() / (double) nnArray.length;
        return new Summary(images.size(), perAll.size(), toArray(perAll), near, nnArray, touching,
                toArray(healthyObjects), toArray(allObjects), toArray(areas), toArray(isolated));
    }

    /**
     * The card's tables for {@code images}: files and labels, sizes, false-alarm objects, and colours per camera
     * (images grouped by width).
     *
     * @param images the measures
     * @return Markdown text
     */
    public static String table(List<ImageStatistics> images) {
        Summary s = summarise(images);
        StringBuilder b = new StringBuilder();
        Map<String, List<ImageStatistics>> bySize = new TreeMap<>();
        for (ImageStatistics i : images) {
            bySize.computeIfAbsent(i.width() + "x" + i.height(), k -> new ArrayList<>()).add(i);
        }
        StringBuilder sizes = new StringBuilder();
        bySize.forEach((k, v) -> sizes.append(sizes.length() == 0 ? "" : ", ").append(v.size()).append(" of ").append(k));
        int totalBlasts = (int) Arrays.stream(s.blastsPerAllImage()).sum();
        b.append("| what | value |\n|---|---|\n");
        b.append("| images | ").append(s.images()).append(": ").append(sizes).append(" |\n");
        b.append("| labels | ").append(s.allImages()).append(" ALL images, ").append(s.images() - s.allImages())
                .append(" healthy |\n");
        b.append(String.format(Locale.ROOT, "| blasts per ALL image | %s to %s, median %s; %d in all |%n",
                fmt(percentile(s.blastsPerAllImage(), 0)), fmt(percentile(s.blastsPerAllImage(), 100)),
                fmt(percentile(s.blastsPerAllImage(), 50)), totalBlasts));
        b.append(String.format(Locale.ROOT, "| blast centres within %d px of the border | %d of %d |%n", BORDER,
                s.blastsNearBorder(), totalBlasts));
        b.append(String.format(Locale.ROOT,
                "| nearest blast centre (2nd / 5th / 50th percentile) | %s / %s / %s px; %s%% within %d px |%n",
                fmt(percentile(s.nearestBlast(), 2)), fmt(percentile(s.nearestBlast(), 5)),
                fmt(percentile(s.nearestBlast(), 50)), fmt(100 * s.touchingShare()), TOUCHING));
        b.append("\n| what (10th / 50th / 90th percentile) | healthy images | ALL images |\n|---|---|---|\n");
        b.append("| purple objects that are not labelled blasts, per image | ")
                .append(pcts(s.unlabelledHealthy(), "")).append(" | ").append(pcts(s.unlabelledAll(), "")).append(" |\n");
        b.append("| their area (px²) | ").append(pcts(areas(images, false), "")).append(" | ")
                .append(pcts(areas(images, true), "")).append(" |\n");
        b.append("\n| purple objects (10th / 50th / 90th percentile) | isolated blasts | unlabelled purple objects |\n"
                + "|---|---|---|\n");
        b.append("| equivalent diameter (px) | ").append(pcts(s.isolatedBlasts(), "")).append(" | ")
                .append(pcts(equivalentDiameters(s.unlabelledAreas()), "")).append(" |\n");
        b.append("| SD of L inside (texture, at 1/4 scale) | ")
                .append(pcts(pooled(images, ImageStatistics::isolatedTexture), "")).append(" | ")
                .append(pcts(pooled(images, ImageStatistics::unlabelledTexture), "")).append(" |\n");
        b.append("\n| region (per-image means; ± SD across images) |");
        bySize.keySet().forEach(k -> b.append(' ').append(k).append(" |"));
        b.append("\n|---|");
        bySize.keySet().forEach(k -> b.append("---|"));
        b.append('\n');
        row(b, "background (brightest non-purple 30%)", bySize, ImageStatistics::background);
        row(b, "red cells (darkest non-purple 40%)", bySize, ImageStatistics::redCells);
        row(b, "purple nuclei", bySize, ImageStatistics::nuclei);
        b.append("| purple share of the image (10th / 50th / 90th pct) |");
        bySize.values().forEach(v -> b.append(' ').append(pcts(
                v.stream().mapToDouble(i -> 100 * i.purpleShare()).toArray(), "%")).append(" |"));
        b.append('\n');
        return b.toString();
    }

    private static double[] pooled(List<ImageStatistics> images,
                                   java.util.function.Function<ImageStatistics, double[]> values) {
        return images.stream().flatMapToDouble(i -> Arrays.stream(values.apply(i))).toArray();
    }

    private static double[] equivalentDiameters(double[] areas) {
        return Arrays.stream(areas).map(a -> Math.sqrt(4 * a / Math.PI)).toArray();
    }

    private static double[] areas(List<ImageStatistics> images, boolean all) {
        return images.stream().filter(i -> i.all() == all).flatMapToDouble(i -> Arrays.stream(i.unlabelledObjects()))
                .toArray();
    }

    private static void row(StringBuilder b, String name, Map<String, List<ImageStatistics>> bySize,
                            java.util.function.Function<ImageStatistics, double[]> region) {
        b.append("| ").append(name).append(" |");
        for (List<ImageStatistics> v : bySize.values()) {
            String[] letters = {"L", "a", "b"};
            StringBuilder cell = new StringBuilder();
            for (int c = 0; c < 3; c++) {
                int channel = c;
                double[] values = v.stream().map(region).mapToDouble(x -> x[channel]).filter(x -> !Double.isNaN(x))
                        .toArray();
                cell.append(c == 0 ? " " : ", ").append(letters[c]).append(' ').append(fmt(mean(values)))
                        .append(" ± ").append(fmt(sd(values)));
            }
            b.append(cell).append(" |");
        }
        b.append('\n');
    }

    /**
     * {@return the mean of {@code values}, NaN for none}
     *
     * @param values the values
     */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElseThrow();
    }

    /**
     * {@return the sample standard deviation of {@code values}, 0 for fewer than two}
     *
     * @param values the values
     */
    public static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    private static String pcts(double[] values, String unit) {
        return fmt(percentile(values, 10)) + unit + " / " + fmt(percentile(values, 50)) + unit + " / "
                + fmt(percentile(values, 90)) + unit;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v - Math.rint(v)) < 1e-9 || Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
