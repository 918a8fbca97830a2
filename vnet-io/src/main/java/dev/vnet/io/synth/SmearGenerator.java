package dev.vnet.io.synth;

import dev.vnet.core.tensor.Rng;
import dev.vnet.io.synth.SyntheticSmear.Cell;
import dev.vnet.io.synth.SyntheticSmear.CellType;
import dev.vnet.ops.ColorConvert;
import dev.vnet.ops.GaussianBlur;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders images that look like May-Grünwald-Giemsa stained peripheral blood smears photographed
 * as in ALL-IDB1: a pale background under uneven illumination, many red cells, lymphoblasts (in
 * ALL images only), other white cells as hard negatives, and platelets.
 *
 * <p>How an image is made: every stained object adds optical density (absorbance per RGB channel)
 * inside its bounding box, so overlapping cells darken where they overlap as they do under a
 * microscope (Beer-Lambert). The light that reaches the camera is the illumination times
 * {@code exp(-density)}; then a Gaussian blur for the focus and Gaussian sensor noise. Each image
 * draws its own stain colours, illumination, focus and noise.
 *
 * <p>Two worlds. With a {@link Camera} ({@link SmearConfig#realistic}) the smears are held to what was measured on
 * ALL-IDB1: cell sizes in the camera's pixels (a blast about 120 px across on both real cameras), 1 to 32 blasts per
 * ALL image (median 11) in clusters of touching and overlapping cells, normal lymphocytes, neutrophils, monocytes and
 * smudged cells of nearly a blast's size in their real numbers, packed red cells, cells cut by the border, and the
 * camera's colours with their spread from image to image; {@code CardStatisticsTest} checks them. Without one (the
 * simpler world of {@link SmearConfig#defaults}) a blast's diameter is 1/20 of the image width
 * ({@link #nominalBlastRadius}), an ALL image holds a few blasts spread apart and a few smaller normal cells.
 *
 * <p>What tells a blast from the other white cells, as in real smears: texture and shape, not size. A blast has a
 * large round nucleus of fine, even chromatin, often with pale nucleoli, in a thin rim of pale blue cytoplasm; a
 * lymphocyte a very dark nucleus of coarse clumps; a neutrophil 2 to 5 lobes in granular pink cytoplasm; a monocyte a
 * folded nucleus in wide grey-blue cytoplasm; a smudged cell a pale, streaky, ragged patch.
 *
 * <p>Deterministic: image {@code i} depends only on the configuration and {@code i}, bit for bit on every JVM
 * (all randomness comes from {@link Rng}, transcendental functions from {@link StrictMath} or tables built with it).
 */
public final class SmearGenerator {
    private static final int EXP_STEPS_PER_UNIT = 512;
    private static final int EXP_MAX = 24;
    private static final float[] EXP_NEG = buildExpTable();
    /** Frame area, in pixels of the reference camera, from which on a smear holds ALL-IDB1's counts of cells. */
    private static final double REFERENCE_FRAME_AREA = 1712.0 * 1368;
    /** Mean optical density, relative to the stain's, of the red-cell pixels as the card measures them. */
    private static final double RED_CELL_DENSITY = 1.2;
    /** The same for the purple pixels; with {@link #RED_CELL_DENSITY} it turns a camera's colours into stains. */
    private static final double NUCLEUS_DENSITY = 0.75;
    /** How far beyond the measured nucleus colour (from neutral) the stain is aimed; blur pulls it back. */
    private static final double NUCLEUS_CHROMA = 1.2;
    /** Light at the optical centre relative to the camera's background colour: the brightest 30% lie near it. */
    private static final double CENTRE_LIGHT = 1.03;

    private final SmearConfig config;
    private final boolean[] allLabels;

    /**
     * A generator for the images that {@code config} describes.
     *
     * @param config the data set to render
     */
    public SmearGenerator(SmearConfig config) {
        this.config = config;
        int n = config.imageCount();
        int allCount = (int) Math.round(n * config.allFraction());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng rng = new Rng(config.seed() ^ 0x5EEDA11L);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        allLabels = new boolean[n];
        for (int i = 0; i < allCount; i++) {
            allLabels[order[i]] = true;
        }
    }

    /** {@return the configuration} */
    public SmearConfig config() {
        return config;
    }

    /**
     * {@return whether image {@code index} (0-based) is an ALL image, with blasts}
     *
     * @param index the image index, 0-based
     */
    public boolean isAll(int index) {
        checkIndex(index);
        return allLabels[index];
    }

    /**
     * {@return the ALL-IDB1 name of image {@code index} (0-based) without extension: {@code Im001_1} for index 0 of
     * an ALL image}
     *
     * @param index the image index, 0-based
     */
    public String name(int index) {
        checkIndex(index);
        return String.format("Im%03d_%d", index + 1, allLabels[index] ? 1 : 0);
    }

    /**
     * {@return the radius in pixels of a typical blast in an image {@code width} pixels wide: its diameter is 1/20 of
     * the width}
     *
     * @param width the image width in pixels
     */
    public static double nominalBlastRadius(int width) {
        return width / 40.0;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= config.imageCount()) {
            throw new IndexOutOfBoundsException("image index " + index + " is outside 0.." + (config.imageCount() - 1));
        }
    }

    /**
     * Renders image {@code index} (0-based).
     *
     * @param index the image index, 0-based
     * @return the image with its cells
     */
    public SyntheticSmear render(int index) {
        checkIndex(index);
        boolean all = allLabels[index];
        Rng rng = new Rng(mix64(config.seed() * 0x9E3779B97F4A7C15L + index));
        return config.camera() == null ? renderScaled(index, all, rng) : renderCamera(index, all, rng, config.camera());
    }

    /** The simpler world: every size a fraction of the width, a few blasts spread apart. */
    private SyntheticSmear renderScaled(int index, boolean all, Rng rng) {
        int w = config.width();
        int h = config.height();
        Stain stain = Stain.random(rng);
        double unit = nominalBlastRadius(w);
        Canvas canvas = new Canvas(w, h);

        List<Cell> cells = placeWhiteCells(rng, all, unit, w, h);
        List<double[]> reds = placeRedCells(rng, cells, unit, w, h, 0.45, 0.8, 0.72, 0.92);
        paint(canvas, stain, rng, reds, 0.008 + 0.02 * rng.nextDouble(), cells, unit, 3);
        Exposure exposure = Exposure.random(rng, 0.06, 0.22, 0.12, Math.max(0.3, uniform(rng, 0.45, 1.25) * w / 640.0));
        Image8 image = canvas.expose(stain, rng.split(), unit, exposure);
        return new SyntheticSmear(name(index), all, image, List.copyOf(cells));
    }

    /**
     * A photograph of {@code camera}: sizes, distances and counts in its pixels, blasts in clusters, the other white
     * cells in their real numbers, the camera's colours. Labels are left out on a stream of their own, so the
     * picture does not depend on the share of unlabelled blasts.
     */
    private SyntheticSmear renderCamera(int index, boolean all, Rng rng, Camera camera) {
        List<Cell> cells = cameraLayout(all, rng.split(), rng.split(), camera);
        Stain stain = Stain.of(camera, rng);
        return new SyntheticSmear(name(index), all, photograph(camera, stain, rng, cells), List.copyOf(cells));
    }

    /**
     * {@return the white cells of image {@code index} (0-based) without painting it: the same cells as {@link
     * #render} gives, at a small fraction of its cost, for statistics over many images}
     *
     * @param index the image index, 0-based
     */
    public List<Cell> layout(int index) {
        checkIndex(index);
        Camera camera = config.camera();
        if (camera == null) {
            return render(index).cells();
        }
        Rng rng = new Rng(mix64(config.seed() * 0x9E3779B97F4A7C15L + index));
        return List.copyOf(cameraLayout(allLabels[index], rng.split(), rng.split(), camera));
    }

    private List<Cell> cameraLayout(boolean all, Rng rng, Rng labelRng, Camera camera) {
        int w = config.width();
        int h = config.height();
        double u = camera.pixelScale();
        // Counts are ALL-IDB1's for a frame at least as large as the smaller real camera's, fewer in a smaller one.
        double areaScale = Math.min(1, w * (double) h / (u * u * REFERENCE_FRAME_AREA));
        List<Cell> cells = new ArrayList<>();
        if (all) {
            placeBlastClusters(cells, rng, labelRng, u, w, h, areaScale);
        }
        placeOtherWhiteCells(cells, rng, all, u, w, h, areaScale);
        return cells;
    }

    /** Red cells around the white ones, platelets, the white cells, and the exposure of the camera. */
    private static Image8 photograph(Camera camera, Stain stain, Rng rng, List<Cell> cells) {
        int w = camera.width();
        int h = camera.height();
        double u = camera.pixelScale();
        Canvas canvas = new Canvas(w, h);
        double unit = camera.blastRadius();
        List<double[]> reds = placeRedCells(rng, cells, unit, w, h, 0.7, 1.0, 0.62, 0.86);
        paint(canvas, stain, rng, reds, 0.004 + 0.01 * rng.nextDouble(), cells, unit, 2);
        Exposure exposure = Exposure.random(rng, 0.02, 0.08, 0.05, Math.max(0.3, uniform(rng, 0.6, 1.8) * u));
        return canvas.expose(stain, rng.split(), unit, exposure);
    }

    /**
     * Renders single-cell crop {@code index} (0-based) in the layout of ALL-IDB2: one white cell in the centre of
     * the camera's frame, among red cells; a blast when {@code blast}, else a normal white cell (lymphocyte,
     * large lymphocyte, neutrophil or monocyte) of nearly a blast's size. Needs a camera.
     *
     * @param index the crop index, 0-based; the seed and the index decide the crop
     * @param blast whether the centred cell is a blast
     * @return the crop, named {@code ImXXX_1} for a blast and {@code ImXXX_0} otherwise
     * @throws IllegalStateException if the configuration has no camera
     */
    public SyntheticSmear renderCell(int index, boolean blast) {
        Camera camera = config.camera();
        if (camera == null) {
            throw new IllegalStateException("single-cell crops need a camera; the configuration has none");
        }
        Rng rng = new Rng(mix64((config.seed() ^ 0xC0FFEEL) * 0x9E3779B97F4A7C15L + index));
        double u = camera.pixelScale();
        int cx = camera.width() / 2;
        int cy = camera.height() / 2;
        Cell cell;
        if (blast) {
            cell = new Cell(CellType.BLAST, cx, cy, u * 74 * StrictMath.exp(0.15 * rng.nextGaussian()));
        } else {
            double p = rng.nextDouble();
            cell = p < 0.3 ? new Cell(CellType.LYMPHOCYTE, cx, cy, u * uniform(rng, 46, 58))
                    : p < 0.6 ? new Cell(CellType.LYMPHOCYTE, cx, cy, u * uniform(rng, 58, 70))
                    : p < 0.85 ? new Cell(CellType.NEUTROPHIL, cx, cy, u * uniform(rng, 60, 76))
                    : new Cell(CellType.MONOCYTE, cx, cy, u * uniform(rng, 68, 84));
        }
        List<Cell> cells = List.of(cell);
        Stain stain = Stain.of(camera, rng);
        return new SyntheticSmear(String.format("Im%03d_%d", index + 1, blast ? 1 : 0), blast,
                photograph(camera, stain, rng, cells), cells);
    }

    /**
     * Paints red cells, then platelets ({@code plateletDensity} per blast radius squared, anywhere), then the white
     * cells on top; neutrophils get {@code fewestLobes} to 5 lobes.
     */
    private static void paint(Canvas canvas, Stain stain, Rng rng, List<double[]> reds, double plateletDensity,
                              List<Cell> cells, double unit, int fewestLobes) {
        for (double[] red : reds) {
            drawRedCell(canvas, stain, rng, red[0], red[1], red[2]);
        }
        int w = canvas.width;
        int h = canvas.height;
        int platelets = (int) (w * (double) h / (unit * unit) * plateletDensity);
        for (int i = 0; i < platelets; i++) {
            drawPlatelet(canvas, stain, rng, rng.nextDouble() * w, rng.nextDouble() * h, unit);
        }
        for (Cell c : cells) {
            drawWhiteCell(canvas, stain, rng, c, fewestLobes);
        }
    }

    private static void drawWhiteCell(Canvas canvas, Stain stain, Rng rng, Cell c, int fewestLobes) {
        switch (c.type()) {
            case BLAST -> drawBlast(canvas, stain, rng, c);
            case LYMPHOCYTE -> drawLymphocyte(canvas, stain, rng, c);
            case NEUTROPHIL -> drawNeutrophil(canvas, stain, rng, c, fewestLobes);
            case MONOCYTE -> drawMonocyte(canvas, stain, rng, c);
            case SMUDGE -> drawSmudge(canvas, stain, rng, c);
        }
    }

    // ---- placement -------------------------------------------------------------------------

    private List<Cell> placeWhiteCells(Rng rng, boolean all, double unit, int w, int h) {
        List<Cell> cells = new ArrayList<>();
        if (all) {
            int n = config.minBlasts() + rng.nextInt(config.maxBlasts() - config.minBlasts() + 1);
            for (int i = 0; i < n; i++) {
                place(cells, rng, CellType.BLAST, unit * uniform(rng, 0.85, 1.18), w, h);
            }
        }
        // Healthy smears always show some normal white cells, so "has a white cell" never means "ALL".
        int normals = all ? rng.nextInt(3) : 1 + rng.nextInt(4);
        for (int i = 0; i < normals; i++) {
            if (rng.nextDouble() < 0.55) {
                place(cells, rng, CellType.LYMPHOCYTE, unit * uniform(rng, 0.50, 0.66), w, h);
            } else {
                place(cells, rng, CellType.NEUTROPHIL, unit * uniform(rng, 0.74, 0.88), w, h);
            }
        }
        return cells;
    }

    /** Places a cell wholly inside the image without overlapping another white cell; gives up quietly when crowded. */
    private static void place(List<Cell> cells, Rng rng, CellType type, double radius, int w, int h) {
        double margin = radius + 2;
        if (2 * margin >= w || 2 * margin >= h) {
            return;
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int x = (int) Math.round(margin + rng.nextDouble() * (w - 2 * margin));
            int y = (int) Math.round(margin + rng.nextDouble() * (h - 2 * margin));
            boolean free = true;
            for (Cell c : cells) {
                double dx = c.x() - x;
                double dy = c.y() - y;
                double min = 1.08 * (c.radius() + radius);
                if (dx * dx + dy * dy < min * min) {
                    free = false;
                    break;
                }
            }
            if (free) {
                cells.add(new Cell(type, x, y, radius));
                return;
            }
        }
    }

    /**
     * Blasts as on ALL-IDB1's ALL images (distances in pixels of the reference camera, times {@code u}): 1 to 32 per
     * image, median 11 (times {@code areaScale}); a blast joins another one's cluster (touching or overlapping it)
     * or lands anywhere, so that about a third have a neighbour within 120 px and the median distance to the
     * nearest one is about 140 px; centres keep 60 px from the border but for a rare few.
     */
    private void placeBlastClusters(List<Cell> cells, Rng rng, Rng labelRng, double u, int w, int h, double areaScale) {
        double drawn = StrictMath.exp(StrictMath.log(11) + 0.75 * rng.nextGaussian());
        int n = (int) Math.round(Math.max(1, Math.min(32, drawn)) * areaScale);
        n = Math.max(config.minBlasts(), Math.min(config.maxBlasts(), Math.max(1, n)));
        List<Cell> blasts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double r = u * 74 * StrictMath.exp(0.15 * rng.nextGaussian());
            double margin = u * (rng.nextDouble() < 0.006 ? 25 : 62);
            boolean attach = !blasts.isEmpty() && rng.nextDouble() < 0.32;
            Cell anchor = attach ? blasts.get(rng.nextInt(blasts.size())) : null;
            for (int attempt = 0; attempt < 300; attempt++) {
                double x;
                double y;
                if (anchor != null && attempt < 150) {
                    double d = u * (rng.nextDouble() < 0.42 ? uniform(rng, 86, 120) : uniform(rng, 120, 180));
                    double a = 2 * Math.PI * rng.nextDouble();
                    x = anchor.x() + d * StrictMath.cos(a);
                    y = anchor.y() + d * StrictMath.sin(a);
                } else {
                    x = margin + rng.nextDouble() * (w - 2 * margin);
                    y = margin + rng.nextDouble() * (h - 2 * margin);
                }
                if (x < margin || y < margin || x > w - margin || y > h - margin
                        || crowds(blasts, x, y, u * 84, 0)) {
                    continue;
                }
                boolean labelled = !(labelRng.nextDouble() < config.unlabelledShare());
                Cell c = new Cell(CellType.BLAST, (int) Math.round(x), (int) Math.round(y), r, labelled);
                blasts.add(c);
                break;
            }
        }
        if (!blasts.isEmpty() && blasts.stream().noneMatch(Cell::labelled)) {
            // An ALL image's label file names at least one blast, as in ALL-IDB1.
            Cell first = blasts.get(0);
            blasts.set(0, new Cell(CellType.BLAST, first.x(), first.y(), first.radius(), true));
        }
        cells.addAll(blasts);
    }

    /**
     * The white cells that are not blasts, in ALL-IDB1's numbers: 1 / 2 / 4 per healthy image and about 5 per ALL
     * image (10th / 50th / 90th percentile, times {@code areaScale}), of nearly a blast's size; they may be cut by
     * the border.
     */
    private static void placeOtherWhiteCells(List<Cell> cells, Rng rng, boolean all, double u, int w, int h,
                                             double areaScale) {
        int n;
        if (all) {
            n = (int) Math.round(Math.min(20, StrictMath.exp(StrictMath.log(6) + 0.7 * rng.nextGaussian())) * areaScale);
        } else {
            double p = rng.nextDouble();
            n = p < 0.3 ? 1 : p < 0.62 ? 2 : p < 0.8 ? 3 : p < 0.92 ? 4 : 5;
            n = Math.max(1, (int) Math.round(n * areaScale));
        }
        for (int i = 0; i < n; i++) {
            double p = rng.nextDouble();
            CellType type;
            double r;
            if (p < (all ? 0.22 : 0.2)) {
                type = CellType.LYMPHOCYTE;
                r = uniform(rng, 46, 58);
            } else if (p < (all ? 0.42 : 0.42)) {
                type = CellType.LYMPHOCYTE;
                r = uniform(rng, 58, 70);
            } else if (p < (all ? 0.58 : 0.77)) {
                type = CellType.NEUTROPHIL;
                r = uniform(rng, 60, 76);
            } else if (p < (all ? 0.68 : 0.9)) {
                type = CellType.MONOCYTE;
                r = uniform(rng, 68, 84);
            } else {
                type = CellType.SMUDGE;
                r = uniform(rng, 50, 85);
            }
            r *= u;
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = -0.25 * r + rng.nextDouble() * (w + 0.5 * r);
                double y = -0.25 * r + rng.nextDouble() * (h + 0.5 * r);
                if (!crowds(cells, x, y, 0, r)) {
                    cells.add(new Cell(type, (int) Math.round(x), (int) Math.round(y), r));
                    break;
                }
            }
        }
    }

    /**
     * Whether a cell's centre lies within {@code distance} of (x, y) or, for a {@code radius > 0}, a cell of that
     * radius at (x, y) would overlap one of them.
     */
    private static boolean crowds(List<Cell> cells, double x, double y, double distance, double radius) {
        for (Cell c : cells) {
            double min = radius > 0 ? 1.05 * (c.radius() + radius) : distance;
            double dx = c.x() - x;
            double dy = c.y() - y;
            if (dx * dx + dy * dy < min * min) {
                return true;
            }
        }
        return false;
    }

    /** Red cells as {x, y, radius}: touching, overlapping, in clumps with empty patches between them. */
    private static List<double[]> placeRedCells(Rng rng, List<Cell> whites, double unit, int w, int h,
                                                double minCoverage, double maxCoverage,
                                                double minOverlap, double maxOverlap) {
        double meanRadius = unit * uniform(rng, 0.55, 0.63);
        double coverage = uniform(rng, minCoverage, maxCoverage);
        double overlap = uniform(rng, minOverlap, maxOverlap);
        int target = (int) (coverage * w * h / (Math.PI * meanRadius * meanRadius));
        long clumpSeed = rng.nextLong();
        double clumpScale = 1.0 / (meanRadius * uniform(rng, 5, 9));
        double clumpBias = uniform(rng, 0.35, 0.75);
        List<double[]> reds = new ArrayList<>(target);
        // A coarse grid so that each candidate is checked against its neighbours only.
        double cellSize = 2.5 * meanRadius;
        int gw = (int) (w / cellSize) + 3;
        int gh = (int) (h / cellSize) + 3;
        List<List<double[]>> grid = new ArrayList<>(gw * gh);
        for (int i = 0; i < gw * gh; i++) {
            grid.add(new ArrayList<>(4));
        }
        for (int attempt = 0; attempt < 25 * target && reds.size() < target; attempt++) {
            double r = meanRadius * uniform(rng, 0.9, 1.1);
            double x = -0.4 * r + rng.nextDouble() * (w + 0.8 * r);
            double y = -0.4 * r + rng.nextDouble() * (h + 0.8 * r);
            double keep = clumpBias + 0.9 * valueNoise(clumpSeed, (float) (x * clumpScale), (float) (y * clumpScale));
            if (rng.nextDouble() > keep) {
                continue;
            }
            boolean free = true;
            for (Cell c : whites) {
                double dx = c.x() - x;
                double dy = c.y() - y;
                double min = c.radius() + 0.35 * r;
                if (dx * dx + dy * dy < min * min) {
                    free = false;
                    break;
                }
            }
            int gx = (int) ((x + cellSize) / cellSize);
            int gy = (int) ((y + cellSize) / cellSize);
            for (int j = Math.max(0, gy - 1); free && j <= Math.min(gh - 1, gy + 1); j++) {
                for (int i = Math.max(0, gx - 1); free && i <= Math.min(gw - 1, gx + 1); i++) {
                    for (double[] o : grid.get(j * gw + i)) {
                        double dx = o[0] - x;
                        double dy = o[1] - y;
                        double min = overlap * (o[2] + r);
                        if (dx * dx + dy * dy < min * min) {
                            free = false;
                            break;
                        }
                    }
                }
            }
            if (free) {
                double[] red = {x, y, r};
                reds.add(red);
                grid.get(Math.min(gh - 1, Math.max(0, gy)) * gw + Math.min(gw - 1, Math.max(0, gx))).add(red);
            }
        }
        return reds;
    }

    // ---- cells -----------------------------------------------------------------------------

    /** A biconcave disc: darker rim, pale centre, slightly oval and uneven outline, soft edge. */
    private static void drawRedCell(Canvas canvas, Stain stain, Rng rng, double cx, double cy, double r) {
        Outline outline = Outline.random(rng, r, 0.2, 0.05);
        double pallorRadius = uniform(rng, 0.32, 0.5);
        double pallorDepth = uniform(rng, 0.4, 0.75);
        double density = uniform(rng, 0.75, 1.2);
        double edge = Math.max(0.6, 0.07 * r) / r;
        float[] od = stain.eosin;
        int x0 = (int) Math.floor(cx - 1.3 * r - 1);
        int x1 = (int) Math.ceil(cx + 1.3 * r + 1);
        int y0 = (int) Math.floor(cy - 1.3 * r - 1);
        int y1 = (int) Math.ceil(cy + 1.3 * r + 1);
        for (int y = Math.max(0, y0); y <= Math.min(canvas.height - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(canvas.width - 1, x1); x++) {
                double s = outline.radial(x - cx, y - cy);
                if (s >= 1 + edge) {
                    continue;
                }
                double inside = 1 - smoothstep(1 - edge, 1 + edge, s);
                double q = s / pallorRadius;
                double profile = 1 - pallorDepth * expNeg(q * q) + 0.18 * expNeg(sq((s - 0.88) * 9));
                canvas.add(x, y, od, (float) (density * inside * profile));
            }
        }
    }

    private static void drawPlatelet(Canvas canvas, Stain stain, Rng rng, double cx, double cy, double unit) {
        double r = unit * uniform(rng, 0.07, 0.13);
        Outline outline = Outline.random(rng, r, 0.3, 0.12);
        long seed = rng.nextLong();
        double density = uniform(rng, 0.35, 0.6);
        fillTextured(canvas, stain.nuclear, outline, cx, cy, r, density, seed, r / 2, 0.35, Math.max(0.5, 0.2 * r) / r);
    }

    /** A lymphoblast: large round nucleus with fine even chromatin, often nucleoli, in a thin rim of pale blue cytoplasm. */
    private static void drawBlast(Canvas canvas, Stain stain, Rng rng, Cell c) {
        double r = c.radius();
        Outline cell = Outline.random(rng, r, 0.06, 0.03);
        double edge = Math.max(0.6, 0.05 * r) / r;
        fillTextured(canvas, stain.cytoplasm, cell, c.x(), c.y(), r, uniform(rng, 0.55, 0.95),
                rng.nextLong(), r / 4, 0.15, edge);
        double nr = r * uniform(rng, 0.74, 0.86);
        double off = (r - nr) * 0.6 * rng.nextDouble();
        double angle = 2 * Math.PI * rng.nextDouble();
        double nx = c.x() + off * StrictMath.cos(angle);
        double ny = c.y() + off * StrictMath.sin(angle);
        Outline nucleus = Outline.random(rng, nr, 0.08, 0.05);
        double density = uniform(rng, 0.55, 0.78);
        long texture = rng.nextLong();
        // Chromatin contrast from 0.3 to 0.9, taken from the texture's seed so the other draws stay as they were.
        double contrast = 0.3 + 0.6 * ((texture >>> 11) * 0x1.0p-53);
        int nucleoli = rng.nextDouble() < 0.7 ? 1 + rng.nextInt(2) : 0;
        double[] nucleolus = new double[3 * nucleoli];
        for (int i = 0; i < nucleoli; i++) {
            double a = 2 * Math.PI * rng.nextDouble();
            double d = nr * 0.45 * rng.nextDouble();
            nucleolus[3 * i] = nx + d * StrictMath.cos(a);
            nucleolus[3 * i + 1] = ny + d * StrictMath.sin(a);
            nucleolus[3 * i + 2] = r * uniform(rng, 0.10, 0.16);
        }
        double nedge = Math.max(0.6, 0.05 * nr) / nr;
        // Fine chromatin: the texture's grain is a small fraction of the nucleus, with low contrast.
        double grain = nr / 5;
        forEachPixel(canvas, nx, ny, nr * 1.3 + 1, (x, y) -> {
            double s = nucleus.radial(x - nx, y - ny);
            if (s >= 1 + nedge) {
                return;
            }
            double inside = 1 - smoothstep(1 - nedge, 1 + nedge, s);
            double t = fbm(texture, x / grain, y / grain);
            double v = density * (1 + contrast * t) * (0.85 + 0.15 * s);
            for (int i = 0; i < nucleoli; i++) {
                double dx = x - nucleolus[3 * i];
                double dy = y - nucleolus[3 * i + 1];
                double rr = nucleolus[3 * i + 2];
                v *= 1 - 0.45 * expNeg((dx * dx + dy * dy) / (rr * rr));
            }
            canvas.add(x, y, stain.nuclear, (float) (inside * v));
        });
    }

    /** A normal small lymphocyte: a small, very dark nucleus with coarse clumped chromatin and a crescent of cytoplasm. */
    private static void drawLymphocyte(Canvas canvas, Stain stain, Rng rng, Cell c) {
        double r = c.radius();
        Outline cell = Outline.random(rng, r, 0.06, 0.03);
        double edge = Math.max(0.6, 0.05 * r) / r;
        fillTextured(canvas, stain.cytoplasm, cell, c.x(), c.y(), r, uniform(rng, 0.8, 1.2),
                rng.nextLong(), r / 4, 0.15, edge);
        double nr = r * uniform(rng, 0.80, 0.9);
        double angle = 2 * Math.PI * rng.nextDouble();
        double off = (r - nr) * uniform(rng, 0.5, 0.9);
        double nx = c.x() + off * StrictMath.cos(angle);
        double ny = c.y() + off * StrictMath.sin(angle);
        Outline nucleus = Outline.random(rng, nr, 0.08, 0.05);
        // Coarse clumps: grain about a third of the nucleus, high contrast.
        fillTextured(canvas, stain.nuclear, nucleus, nx, ny, nr, uniform(rng, 1.05, 1.35),
                rng.nextLong(), nr / 2.5, 0.4, Math.max(0.6, 0.05 * nr) / nr);
    }

    /** A neutrophil: 2 (or 3) to 5 dense lobes joined by thin strands, in granular pinkish-lilac cytoplasm. */
    private static void drawNeutrophil(Canvas canvas, Stain stain, Rng rng, Cell c, int fewestLobes) {
        double r = c.radius();
        Outline cell = Outline.random(rng, r, 0.06, 0.03);
        double edge = Math.max(0.6, 0.05 * r) / r;
        fillTextured(canvas, stain.neutrophilCytoplasm, cell, c.x(), c.y(), r, uniform(rng, 0.8, 1.2),
                rng.nextLong(), r / 5, 0.2, edge);
        // Granules: fine specks over the cytoplasm.
        long granules = rng.nextLong();
        double grain = Math.max(0.8, r / 9);
        forEachPixel(canvas, c.x(), c.y(), r + 1, (x, y) -> {
            double s = cell.radial(x - c.x(), y - c.y());
            if (s >= 1) {
                return;
            }
            double g = valueNoise(granules, (float) (x / grain), (float) (y / grain));
            if (g > 0.25) {
                canvas.add(x, y, stain.granules, (float) ((g - 0.25) * 1.2 * (1 - s * s)));
            }
        });
        int lobes = fewestLobes + rng.nextInt(6 - fewestLobes);
        double arc = 0.42 * r * uniform(rng, 0.85, 1.1);
        double start = 2 * Math.PI * rng.nextDouble();
        double step = uniform(rng, 0.9, 1.25) * (lobes == 3 ? 1.1 : 0.95);
        double[] lx = new double[lobes];
        double[] ly = new double[lobes];
        double[] lr = new double[lobes];
        for (int i = 0; i < lobes; i++) {
            double a = start + i * step + uniform(rng, -0.15, 0.15);
            double d = arc * uniform(rng, 0.8, 1.15);
            lx[i] = c.x() + d * StrictMath.cos(a);
            ly[i] = c.y() + d * StrictMath.sin(a);
            lr[i] = r * uniform(rng, 0.2, 0.27);
        }
        double strand = Math.max(0.7, 0.05 * r);
        double density = uniform(rng, 1.0, 1.25);
        long texture = rng.nextLong();
        double nedge = Math.max(0.6, 0.08 * r);
        forEachPixel(canvas, c.x(), c.y(), r + 1, (x, y) -> {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < lobes; i++) {
                // Signed distance to the lobe (a disc) and to the strand to the next lobe.
                best = Math.min(best, Math.hypot(x - lx[i], y - ly[i]) - lr[i]);
                if (i + 1 < lobes) {
                    best = Math.min(best, segmentDistance(x, y, lx[i], ly[i], lx[i + 1], ly[i + 1]) - strand);
                }
            }
            if (best >= nedge) {
                return;
            }
            double inside = 1 - smoothstep(-nedge, nedge, best);
            double t = fbm(texture, x / (r / 4), y / (r / 4));
            canvas.add(x, y, stain.nuclear, (float) (inside * density * (1 + 0.3 * t)));
        });
    }

    /**
     * A monocyte: large, grey-blue cytoplasm with a few pale vacuoles, and a folded, kidney-shaped nucleus of lacy
     * chromatin, lighter than a lymphocyte's.
     */
    private static void drawMonocyte(Canvas canvas, Stain stain, Rng rng, Cell c) {
        double r = c.radius();
        Outline cell = Outline.random(rng, r, 0.18, 0.05);
        double edge = Math.max(0.6, 0.05 * r) / r;
        fillTextured(canvas, stain.monocyteCytoplasm, cell, c.x(), c.y(), r, uniform(rng, 0.8, 1.2),
                rng.nextLong(), r / 6, 0.25, edge);
        int vacuoles = rng.nextInt(5);
        for (int i = 0; i < vacuoles; i++) {
            double a = 2 * Math.PI * rng.nextDouble();
            double d = r * uniform(rng, 0.55, 0.85);
            double vr = r * uniform(rng, 0.04, 0.08);
            double vx = c.x() + d * StrictMath.cos(a);
            double vy = c.y() + d * StrictMath.sin(a);
            forEachPixel(canvas, vx, vy, vr + 1, (x, y) -> {
                double q = (sq(x - vx) + sq(y - vy)) / (vr * vr);
                canvas.add(x, y, stain.monocyteCytoplasm, (float) (-0.6 * expNeg(q * q)));
            });
        }
        double nr = r * uniform(rng, 0.6, 0.7);
        double angle = 2 * Math.PI * rng.nextDouble();
        double off = r * uniform(rng, 0.08, 0.18);
        double nx = c.x() + off * StrictMath.cos(angle);
        double ny = c.y() + off * StrictMath.sin(angle);
        // The fold: the outline pulled in towards the cell's centre over about a third of the circumference.
        double foldDepth = uniform(rng, 0.2, 0.38);
        double foldAngle = angle + Math.PI;
        Outline nucleus = Outline.random(rng, nr, 0.3, 0.06);
        double density = uniform(rng, 0.6, 0.85);
        long texture = rng.nextLong();
        double nedge = Math.max(0.6, 0.06 * nr) / nr;
        forEachPixel(canvas, nx, ny, nr * 1.4 + 1, (x, y) -> {
            double turn = StrictMath.atan2(y - ny, x - nx) - foldAngle;
            turn = Math.IEEEremainder(turn, 2 * Math.PI);
            double s = nucleus.radial(x - nx, y - ny) / (1 - foldDepth * expNeg(sq(turn / 0.55)));
            if (s >= 1 + nedge) {
                return;
            }
            double inside = 1 - smoothstep(1 - nedge, 1 + nedge, s);
            double t = fbm(texture, x / (nr / 3.5), y / (nr / 3.5));
            canvas.add(x, y, stain.nuclear, (float) (inside * density * (1 + 0.4 * t)));
        });
    }

    /** A smudged cell: broken nuclear material smeared into a pale, streaky, ragged patch, no cytoplasm. */
    private static void drawSmudge(Canvas canvas, Stain stain, Rng rng, Cell c) {
        double r = c.radius();
        Outline outline = Outline.random(rng, r, 0.8, 0.15);
        double density = uniform(rng, 0.3, 0.55);
        long texture = rng.nextLong();
        long ragged = rng.nextLong();
        double streak = Math.PI * rng.nextDouble();
        double cos = StrictMath.cos(streak);
        double sin = StrictMath.sin(streak);
        double edge = 0.25;
        forEachPixel(canvas, c.x(), c.y(), r * 1.9 + 1, (x, y) -> {
            double dx = x - c.x();
            double dy = y - c.y();
            double s = outline.radial(dx, dy) + 0.35 * fbm(ragged, x / (r / 3), y / (r / 3));
            if (s >= 1 + edge) {
                return;
            }
            double inside = 1 - smoothstep(1 - edge, 1 + edge, s);
            // Streaks: texture stretched along the direction the cell was smeared.
            double along = (dx * cos + dy * sin) / (r / 1.5);
            double across = (-dx * sin + dy * cos) / (r / 4);
            double t = fbm(texture, along, across);
            canvas.add(x, y, stain.nuclear, (float) (inside * density * Math.max(0, 1 + 0.5 * t)));
        });
    }

    /** Fills an outline with {@code od * density}, modulated by value-noise texture of the given grain and contrast. */
    private static void fillTextured(Canvas canvas, float[] od, Outline outline, double cx, double cy, double r,
                                     double density, long seed, double grain, double contrast, double edge) {
        forEachPixel(canvas, cx, cy, r * 1.3 + 1, (x, y) -> {
            double s = outline.radial(x - cx, y - cy);
            if (s >= 1 + edge) {
                return;
            }
            double inside = 1 - smoothstep(1 - edge, 1 + edge, s);
            double t = fbm(seed, x / grain, y / grain);
            canvas.add(x, y, od, (float) (inside * density * (1 + contrast * t)));
        });
    }

    private interface PixelVisitor {
        void visit(int x, int y);
    }

    private static void forEachPixel(Canvas canvas, double cx, double cy, double reach, PixelVisitor v) {
        int x0 = Math.max(0, (int) Math.floor(cx - reach));
        int x1 = Math.min(canvas.width - 1, (int) Math.ceil(cx + reach));
        int y0 = Math.max(0, (int) Math.floor(cy - reach));
        int y1 = Math.min(canvas.height - 1, (int) Math.ceil(cy + reach));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                v.visit(x, y);
            }
        }
    }

    private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double vx = bx - ax;
        double vy = by - ay;
        double len2 = vx * vx + vy * vy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
        return Math.hypot(px - (ax + t * vx), py - (ay + t * vy));
    }

    // ---- stain, outline, canvas ------------------------------------------------------------

    /** Per-image colours: background light and the optical density (per RGB channel) of each stained material. */
    private static final class Stain {
        final float[] background = new float[3];
        final float[] eosin = new float[3];
        final float[] nuclear = new float[3];
        final float[] cytoplasm = new float[3];
        final float[] neutrophilCytoplasm = new float[3];
        final float[] granules = new float[3];
        final float[] monocyteCytoplasm = new float[3];

        static Stain random(Rng rng) {
            Stain s = new Stain();
            // Background between the warm beige of many ALL-IDB1 photos and a cooler grey-green.
            double warm = rng.nextDouble();
            double bright = uniform(rng, 0.9, 1.03);
            double[] beige = {236, 224, 198};
            double[] cool = {222, 229, 222};
            for (int c = 0; c < 3; c++) {
                s.background[c] = (float) (bright * (warm * beige[c] + (1 - warm) * cool[c]) * uniform(rng, 0.97, 1.03));
            }
            double eosinStrength = uniform(rng, 0.75, 1.3);
            double[] eosinBase = {0.09, 0.31, 0.30};
            double purple = rng.nextDouble();
            double nuclearStrength = uniform(rng, 0.85, 1.2);
            double[] blueViolet = {0.80, 1.0, 0.34};
            double[] redViolet = {0.62, 1.22, 0.50};
            double cytoStrength = uniform(rng, 0.7, 1.3);
            double[] cytoBase = {0.20, 0.12, 0.06};
            for (int c = 0; c < 3; c++) {
                s.eosin[c] = (float) (eosinStrength * eosinBase[c] * uniform(rng, 0.88, 1.12));
                s.nuclear[c] = (float) (nuclearStrength * (purple * redViolet[c] + (1 - purple) * blueViolet[c])
                        * uniform(rng, 0.92, 1.08));
                s.cytoplasm[c] = (float) (cytoStrength * cytoBase[c] * uniform(rng, 0.9, 1.1));
                s.neutrophilCytoplasm[c] = (float) (0.35 * s.eosin[c] + 0.05 * s.nuclear[c]);
                s.granules[c] = (float) (0.25 * s.nuclear[c] + 0.35 * s.eosin[c]);
                s.monocyteCytoplasm[c] = (float) (0.8 * s.cytoplasm[c] + 0.12 * s.eosin[c] + 0.04 * s.nuclear[c]);
            }
            return s;
        }

        /**
         * Colours of one photograph of {@code camera}: background, red cells and nuclei drawn around the camera's
         * means with its spread (one brightness draw for all three, as the exposure moves them together), turned
         * into light and stain densities through OpenCV's L*a*b* to RGB.
         */
        static Stain of(Camera camera, Rng rng) {
            double z = rng.nextGaussian();
            double[] bg = rgbOf(camera.background(), z, rng);
            double[] red = rgbOf(camera.redCells(), z, rng);
            // Blur and pale chromatin mix every nucleus with its surroundings: aim a quarter beyond the measured hue.
            Camera.LabSpread n = camera.nuclei();
            double[] nuc = rgbOf(new Camera.LabSpread(n.l(), 128 + NUCLEUS_CHROMA * (n.a() - 128),
                    128 + NUCLEUS_CHROMA * (n.b() - 128), n.sdL(), n.sdA(), n.sdB()), z, rng);
            double cytoStrength = uniform(rng, 0.7, 1.2);
            double[] cytoBase = {0.20, 0.12, 0.06};
            Stain s = new Stain();
            for (int c = 0; c < 3; c++) {
                s.background[c] = (float) Math.min(255, bg[c] * CENTRE_LIGHT);
                s.eosin[c] = (float) (Math.max(0.01, StrictMath.log(bg[c] / Math.min(bg[c], red[c]))) / RED_CELL_DENSITY);
                s.nuclear[c] = (float) (Math.max(0.05, StrictMath.log(bg[c] / Math.min(bg[c], nuc[c]))) / NUCLEUS_DENSITY);
                s.cytoplasm[c] = (float) (cytoStrength * cytoBase[c] * uniform(rng, 0.9, 1.1));
                s.neutrophilCytoplasm[c] = (float) (0.35 * s.eosin[c] + 0.05 * s.nuclear[c]);
                s.granules[c] = (float) (0.25 * s.nuclear[c] + 0.35 * s.eosin[c]);
                s.monocyteCytoplasm[c] = (float) (0.8 * s.cytoplasm[c] + 0.12 * s.eosin[c] + 0.04 * s.nuclear[c]);
            }
            return s;
        }

        /** RGB (each at least 1) of a colour drawn from {@code spread}, its L moved by {@code z} standard deviations. */
        private static double[] rgbOf(Camera.LabSpread spread, double z, Rng rng) {
            Image8 lab = new Image8(1, 1, 3);
            lab.set(0, 0, 0, clamp255(spread.l() + z * spread.sdL()));
            lab.set(0, 0, 1, clamp255(spread.a() + rng.nextGaussian() * spread.sdA()));
            lab.set(0, 0, 2, clamp255(spread.b() + rng.nextGaussian() * spread.sdB()));
            Image8 rgb = ColorConvert.labToRgb(lab);
            return new double[] {Math.max(1, rgb.get(0, 0, 0)), Math.max(1, rgb.get(0, 0, 1)), Math.max(1, rgb.get(0, 0, 2))};
        }

        private static int clamp255(double v) {
            return (int) Math.max(0, Math.min(255, Math.round(v)));
        }
    }

    /**
     * A closed outline around the origin: an ellipse with a slightly uneven edge (2nd and 3rd
     * harmonics of the angle). {@link #radial} is 1 on the edge, 0 at the centre.
     */
    private static final class Outline {
        final double cos;
        final double sin;
        final double a;
        final double b;
        final double h2c;
        final double h2s;
        final double h3c;
        final double h3s;

        private Outline(double angle, double a, double b, double h2, double p2, double h3, double p3) {
            this.cos = StrictMath.cos(angle);
            this.sin = StrictMath.sin(angle);
            this.a = a;
            this.b = b;
            this.h2c = h2 * StrictMath.cos(2 * p2);
            this.h2s = h2 * StrictMath.sin(2 * p2);
            this.h3c = h3 * StrictMath.cos(3 * p3);
            this.h3s = h3 * StrictMath.sin(3 * p3);
        }

        static Outline random(Rng rng, double r, double maxOval, double maxWobble) {
            double e = 1 + maxOval * rng.nextDouble();
            double sq = Math.sqrt(e);
            return new Outline(Math.PI * rng.nextDouble(), r * sq, r / sq,
                    maxWobble * rng.nextDouble(), 2 * Math.PI * rng.nextDouble(),
                    maxWobble * rng.nextDouble(), 2 * Math.PI * rng.nextDouble());
        }

        double radial(double dx, double dy) {
            double u = (dx * cos + dy * sin) / a;
            double v = (-dx * sin + dy * cos) / b;
            double rho = Math.sqrt(u * u + v * v);
            if (rho == 0) {
                return 0;
            }
            double c1 = u / rho;
            double s1 = v / rho;
            double c2 = c1 * c1 - s1 * s1;
            double s2 = 2 * c1 * s1;
            double c3 = c2 * c1 - s2 * s1;
            double s3 = s2 * c1 + c2 * s1;
            double edge = 1 + h2c * c2 + h2s * s2 + h3c * c3 + h3s * s3;
            return rho / edge;
        }
    }

    /** Optical density per pixel, then the exposure that turns it into an 8-bit photograph. */
    private static final class Canvas {
        final int width;
        final int height;
        final float[] od;

        Canvas(int width, int height) {
            this.width = width;
            this.height = height;
            this.od = new float[width * height * 3];
        }

        void add(int x, int y, float[] material, float amount) {
            int i = (y * width + x) * 3;
            od[i] += material[0] * amount;
            od[i + 1] += material[1] * amount;
            od[i + 2] += material[2] * amount;
        }

        /** Illumination (vignetting, gradient, faint mottling) times transmission, focus blur, sensor noise. */
        Image8 expose(Stain stain, Rng rng, double unit, Exposure e) {
            double rmax2 = 0.25 * ((double) width * width + (double) height * height);
            double cx = width * e.centreX();
            double cy = height * e.centreY();
            double gx = e.gradient() * StrictMath.cos(e.gradientAngle()) / width;
            double gy = e.gradient() * StrictMath.sin(e.gradientAngle()) / width;
            long mottle = rng.nextLong();
            double mottleScale = 1 / (unit * 6);
            byte[] light = new byte[width * height * 3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double dx = x - cx;
                    double dy = y - cy;
                    double illum = (1 - e.vignette() * (dx * dx + dy * dy) / rmax2) * (1 + gx * dx + gy * dy)
                            * (1 + 0.015 * valueNoise(mottle, (float) (x * mottleScale), (float) (y * mottleScale)));
                    int i = (y * width + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        light[i + c] = (byte) Math.min(255, Math.round(stain.background[c] * illum * expNeg(od[i + c])));
                    }
                }
            }
            Image8 focused = GaussianBlur.apply(new Image8(width, height, 3, light), 0, e.focusSigma());
            byte[] out = focused.data();
            double noise = uniform(rng, 1.0, 3.0);
            for (int i = 0; i < out.length; i++) {
                long v = Math.round((out[i] & 0xFF) + noise * rng.nextGaussian());
                out[i] = (byte) Math.max(0, Math.min(255, v));
            }
            return focused;
        }
    }

    /**
     * How one photograph was lit and focused.
     *
     * @param vignette      fraction of light lost at the corners
     * @param gradientAngle direction of a linear illumination gradient, radians
     * @param gradient      fraction of light gained across one image width along it
     * @param centreX       optical centre as a fraction of the width
     * @param centreY       optical centre as a fraction of the height
     * @param focusSigma    focus blur, Gaussian sigma in pixels
     */
    private record Exposure(double vignette, double gradientAngle, double gradient, double centreX, double centreY,
                            double focusSigma) {
        static Exposure random(Rng rng, double minVignette, double maxVignette, double maxGradient, double focusSigma) {
            double vignette = uniform(rng, minVignette, maxVignette);
            double angle = 2 * Math.PI * rng.nextDouble();
            double gradient = uniform(rng, 0.0, maxGradient);
            return new Exposure(vignette, angle, gradient, uniform(rng, 0.35, 0.65), uniform(rng, 0.35, 0.65),
                    focusSigma);
        }
    }

    // ---- small deterministic maths ---------------------------------------------------------

    private static float[] buildExpTable() {
        float[] t = new float[EXP_MAX * EXP_STEPS_PER_UNIT + 2];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) StrictMath.exp(-(double) i / EXP_STEPS_PER_UNIT);
        }
        return t;
    }

    /** {@code exp(-x)} for {@code x >= 0} from a table (linear interpolation), identical on every JVM. */
    static double expNeg(double x) {
        if (!(x > 0)) {
            return 1;
        }
        double p = x * EXP_STEPS_PER_UNIT;
        if (p >= EXP_MAX * EXP_STEPS_PER_UNIT) {
            return 0;
        }
        int i = (int) p;
        double f = p - i;
        return EXP_NEG[i] + f * (EXP_NEG[i + 1] - EXP_NEG[i]);
    }

    private static double smoothstep(double e0, double e1, double x) {
        double t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
        return t * t * (3 - 2 * t);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double uniform(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static float lattice(long seed, int ix, int iy) {
        long h = mix64(seed ^ (ix * 0x9E3779B97F4A7C15L) ^ (iy * 0xC2B2AE3D27D4EB4FL));
        return (h >>> 40) * 0x1.0p-24f * 2 - 1;
    }

    /** Smooth value noise in [-1, 1] with lattice spacing 1. */
    static float valueNoise(long seed, float x, float y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        float fx = x - ix;
        float fy = y - iy;
        float sx = fx * fx * (3 - 2 * fx);
        float sy = fy * fy * (3 - 2 * fy);
        float a = lattice(seed, ix, iy);
        float b = lattice(seed, ix + 1, iy);
        float c = lattice(seed, ix, iy + 1);
        float d = lattice(seed, ix + 1, iy + 1);
        float top = a + sx * (b - a);
        float bottom = c + sx * (d - c);
        return top + sy * (bottom - top);
    }

    /** Two octaves of value noise, roughly in [-1, 1]. */
    private static double fbm(long seed, double x, double y) {
        return 0.67 * valueNoise(seed, (float) x, (float) y) + 0.33 * valueNoise(seed + 1, (float) (2 * x), (float) (2 * y));
    }
}
