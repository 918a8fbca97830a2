package dev.vnet.train.detect;

import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a network over an image of any size in as few pixels as one forward pass's budget allows, and blends the
 * tiles' outputs into one map without seams. Memory is bounded by one pass of {@code batch × tile²} pixels plus two
 * floats per pixel of the image's map, whatever the size.
 *
 * <ul>
 *   <li><b>Layout</b>: an image that fits the budget (its sides rounded up to a multiple of {@value #ALIGN}) runs whole,
 *       in one pass. A larger one is cut into a grid of equal rectangular tiles, each within the budget, overlapping
 *       by at least {@code overlap} and spread evenly from edge to edge; of all such grids the one with the fewest
 *       pixels in all (then the fewest tiles) is taken, and as many tiles go into a pass as the budget holds. The
 *       pixels through the network are what the inference costs: a 648×486 image (a 2592×1944 photograph at a quarter)
 *       in tiles of 256 overlapping by 32 took 9 tiles, 590 thousand pixels; in one pass it takes 325 thousand.</li>
 *   <li><b>Padding</b>: tile sides are multiples of {@value #ALIGN} (the V-Net halves its input four times); where a
 *       tile reaches past the image's edge it repeats the edge pixels, and the padding is cut from the output.</li>
 *   <li><b>Blending</b>: each tile's output is weighted by a window that is 1 in its middle, 0 on the
 *       {@code overlap / 4} pixels at each side where another tile covers the image (there the network saw padding
 *       instead of the image), and rises linearly in between; sides on the image's own edge keep weight 1. The map is
 *       the weighted mean. Where the network's receptive field reaches less than {@code overlap / 4} pixels, the
 *       tiled map therefore equals the whole-image map exactly, and a constant image gives a constant map.</li>
 * </ul>
 *
 * @param tile    nominal tile side in pixels: with {@code batch}, the pixels of one forward pass
 * @param overlap least overlap of neighbouring tiles in pixels, in [0, tile / 2]
 * @param batch   nominal tiles per forward pass: one pass holds at most {@code batch × tile²} pixels
 */
public record TiledInference(int tile, int overlap, int batch) {

    /** Tile sides are multiples of this: the V-Net halves its input four times, and pads to it with zeros otherwise. */
    public static final int ALIGN = 16;

    /**
     * Validates the values.
     *
     * @param tile    nominal tile side in pixels
     * @param overlap least overlap of neighbouring tiles in pixels, in [0, tile / 2]
     * @param batch   nominal tiles per forward pass
     */
    public TiledInference {
        if (tile < ALIGN) {
            throw new IllegalArgumentException("tile side must be >= " + ALIGN + " pixels, got " + tile);
        }
        if (overlap < 0 || overlap > tile / 2) {
            throw new IllegalArgumentException("tile overlap must be in [0, " + tile / 2 + "] for tiles of " + tile
                    + " px, got " + overlap);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("tile batch must be >= 1, got " + batch);
        }
    }

    /**
     * How an image is cut: tiles of {@code tileWidth × tileHeight} starting at every pair of {@code xs} and {@code ys},
     * {@code perPass} of them in each forward pass.
     *
     * @param tileWidth  tile width in pixels, a multiple of {@link #ALIGN}
     * @param tileHeight tile height in pixels, a multiple of {@link #ALIGN}
     * @param xs         the tiles' left columns
     * @param ys         the tiles' top rows
     * @param perPass    tiles in a forward pass
     */
    public record Layout(int tileWidth, int tileHeight, int[] xs, int[] ys, int perPass) {
        /** {@return the number of tiles} */
        public int tiles() {
            return xs.length * ys.length;
        }

        /** {@return the pixels that go through the network} */
        public long pixels() {
            return (long) tiles() * tileWidth * tileHeight;
        }
    }

    /** {@return the most pixels of one forward pass} */
    public long passPixels() {
        return (long) batch * tile * tile;
    }

    /**
     * {@return how an image of {@code width × height} pixels is cut: the grid of equal tiles within a pass's budget
     * with the fewest pixels in all, then the fewest tiles}
     *
     * @param width  the image width in pixels
     * @param height the image height in pixels
     */
    public Layout layout(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image must be at least 1x1 pixels, got " + width + "x" + height);
        }
        long budget = passPixels();
        int[] xCounts = tileCounts(width);
        int[] yCounts = tileCounts(height);
        // Within the budget, the fewest pixels, then the fewest tiles; if no grid fits (a budget smaller than
        // the smallest aligned tile), the smallest tiles.
        int bestX = 0;
        int bestY = 0;
        long bestPixels = Long.MAX_VALUE;
        long bestArea = Long.MAX_VALUE;
        boolean bestFits = false;
        for (int ny : yCounts) {
            int th = side(height, ny);
            for (int nx : xCounts) {
                int tw = side(width, nx);
                long area = (long) tw * th;
                long pixels = area * nx * ny;
                boolean fits = area <= budget;
                boolean better = fits
                        ? !bestFits || pixels < bestPixels || pixels == bestPixels && nx * ny < bestX * bestY
                        : !bestFits && area < bestArea;
                if (better) {
                    bestX = nx;
                    bestY = ny;
                    bestPixels = pixels;
                    bestArea = area;
                    bestFits = fits;
                }
            }
        }
        int tw = side(width, bestX);
        int th = side(height, bestY);
        int perPass = (int) Math.max(1, Math.min((long) bestX * bestY, budget / ((long) tw * th)));
        return new Layout(tw, th, starts(width, bestX, tw), starts(height, bestY, th), perPass);
    }

    /**
     * {@return the tile counts worth trying along a side of {@code length} pixels: one, and every count whose tiles
     * stay shorter than the side and at least twice the overlap long (so that each keeps a middle of full weight)}
     */
    private int[] tileCounts(int length) {
        java.util.List<Integer> counts = new java.util.ArrayList<>(java.util.List.of(1));
        for (int n = 2; n <= length / ALIGN + 1; n++) {
            int t = side(length, n);
            if (t < length && t >= 2 * overlap && t >= ALIGN) {
                counts.add(n);
            }
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@return the side of {@code n} equal tiles that cover {@code length} pixels overlapping by {@code overlap}} */
    int side(int length, int n) {
        // n·t − (n − 1)·overlap >= length
        int t = n == 1 ? length : (int) Math.ceil((length + (double) (n - 1) * overlap) / n);
        return (t + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** {@return the starts of {@code n} tiles of {@code side} pixels spread evenly over {@code length}} */
    static int[] starts(int length, int n, int side) {
        if (n == 1) {
            return new int[] {0};
        }
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = (int) Math.round((double) i * (length - side) / (n - 1));
        }
        return s;
    }

    /** A network as the tiles see it. */
    @FunctionalInterface
    public interface TileModel {
        /**
         * {@return the heat-map of a batch of tiles, {@code [n, 1, t, t]} row-major}
         *
         * @param tiles {@code [n, c, t, t]}, values in [0, 1]
         */
        float[] predict(Tensor tiles);
    }

    /**
     * {@return a V-Net whose logits become probabilities (σ), run in evaluation mode without recording a graph}
     *
     * @param model the network
     */
    public static TileModel of(VNet model) {
        // One pool per thread for as long as this TileModel lives (a server's detector: the whole run): from the
        // second pass on, a pass allocates next to nothing
        ThreadLocal<BufferPool> pools = ThreadLocal.withInitial(BufferPool::new);
        return tiles -> {
            boolean wasTraining = model.isTraining();
            model.eval();
            // each layer's output is given back once the next has read it (Tensor.release), so a pass reuses a few
            // arrays instead of allocating every activation
            try (var ignored = GradMode.noGrad(); var pass = pools.get().use()) {
                float[] z = model.forward(tiles).data();
                float[] p = new float[z.length];
                for (int i = 0; i < z.length; i++) {
                    p[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
                }
                return p;
            } finally {
                model.train(wasTraining);
            }
        };
    }

    /**
     * {@return the map of {@code image}: {@code height × width} row-major}
     *
     * @param image the image at the network's scale, any size
     * @param model the network
     */
    public float[] apply(Image8 image, TileModel model) {
        int w = image.width();
        int h = image.height();
        Layout layout = layout(w, h);
        double[] sum = new double[w * h];
        double[] weight = new double[w * h];
        List<int[]> pending = new ArrayList<>();
        for (int ty : layout.ys()) {
            for (int tx : layout.xs()) {
                pending.add(new int[] {tx, ty});
                if (pending.size() == layout.perPass()) {
                    run(image, model, layout, pending, sum, weight);
                    pending.clear();
                }
            }
        }
        if (!pending.isEmpty()) {
            run(image, model, layout, pending, sum, weight);
        }
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / weight[i]);
        }
        return out;
    }

    private void run(Image8 image, TileModel model, Layout layout, List<int[]> tiles, double[] sum, double[] weight) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        int tw = layout.tileWidth();
        int th = layout.tileHeight();
        int plane = tw * th;
        float[] x = new float[tiles.size() * c * plane];
        byte[] src = image.data();
        for (int n = 0; n < tiles.size(); n++) {
            int[] t = tiles.get(n);
            int base = n * c * plane;
            for (int y = 0; y < th; y++) {
                // Pixels past the image's edge repeat the edge (only where a tile is longer than the image's side).
                int sy = Math.min(h - 1, t[1] + y);
                for (int xx = 0; xx < tw; xx++) {
                    int sx = Math.min(w - 1, t[0] + xx);
                    int si = (sy * w + sx) * c;
                    for (int ch = 0; ch < c; ch++) {
                        x[base + ch * plane + y * tw + xx] = (src[si + ch] & 0xFF) / 255f;
                    }
                }
            }
        }
        float[] p = model.predict(Tensor.wrap(x, tiles.size(), c, th, tw));
        if (p.length != tiles.size() * plane) {
            throw new IllegalStateException("tile model returned " + p.length + " values for " + tiles.size()
                    + " tiles of " + tw + "x" + th + ", expected " + tiles.size() * plane);
        }
        for (int n = 0; n < tiles.size(); n++) {
            int[] t = tiles.get(n);
            double[] fx = window(tw, t[0] > 0, t[0] + tw < w);
            double[] fy = window(th, t[1] > 0, t[1] + th < h);
            for (int y = 0; y < th && t[1] + y < h; y++) {
                if (fy[y] == 0) {
                    continue;
                }
                for (int xx = 0; xx < tw && t[0] + xx < w; xx++) {
                    double wt = fy[y] * fx[xx];
                    if (wt == 0) {
                        continue;
                    }
                    int i = (t[1] + y) * w + t[0] + xx;
                    sum[i] += wt * p[n * plane + y * tw + xx];
                    weight[i] += wt;
                }
            }
        }
    }

    /** The blending weights along one side of {@code length} pixels: ramps only on the sides another tile covers. */
    double[] window(int length, boolean coveredBefore, boolean coveredAfter) {
        double[] f = new double[length];
        int margin = overlap / 4;
        int ramp = Math.max(1, overlap / 2 - margin);
        for (int i = 0; i < length; i++) {
            double a = coveredBefore ? ramp(i, margin, ramp) : 1;
            double b = coveredAfter ? ramp(length - 1 - i, margin, ramp) : 1;
            f[i] = Math.min(a, b);
        }
        return f;
    }

    private static double ramp(int d, int margin, int ramp) {
        return d < margin ? 0 : Math.min(1, (d - margin + 1) / (double) ramp);
    }
}
