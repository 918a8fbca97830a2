package dev.vnet.train.detect;

import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a network over an image of any size in square tiles and blends the tiles' outputs into one map without
 * seams. Memory is bounded by one batch of tiles plus two floats per pixel of the image's map, whatever the size.
 *
 * <ul>
 *   <li><b>Tiles</b>: along each side, as few tiles of {@code tile} pixels as overlap by at least {@code overlap},
 *       spread evenly from edge to edge; a side shorter than a tile is padded by repeating its edge pixels and the
 *       padding cut from the output.</li>
 *   <li><b>Blending</b>: each tile's output is weighted by a window that is 1 in its middle, 0 on the
 *       {@code overlap / 4} pixels at each side where another tile covers the image (there the network saw padding
 *       instead of the image), and rises linearly in between; sides on the image's own edge keep weight 1. The map is
 *       the weighted mean. Where the network's receptive field reaches less than {@code overlap / 4} pixels, the
 *       tiled map therefore equals the whole-image map exactly, and a constant image gives a constant map.</li>
 * </ul>
 *
 * @param tile    tile side in pixels
 * @param overlap least overlap of neighbouring tiles in pixels, in [0, tile / 2]
 * @param batch   tiles per forward pass
 */
public record TiledInference(int tile, int overlap, int batch) {

    /**
     * Validates the values.
     *
     * @param tile    tile side in pixels
     * @param overlap least overlap of neighbouring tiles in pixels, in [0, tile / 2]
     * @param batch   tiles per forward pass
     */
    public TiledInference {
        if (tile < 8) {
            throw new IllegalArgumentException("tile side must be >= 8 pixels, got " + tile);
        }
        if (overlap < 0 || overlap > tile / 2) {
            throw new IllegalArgumentException("tile overlap must be in [0, " + tile / 2 + "] for tiles of " + tile
                    + " px, got " + overlap);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("tile batch must be >= 1, got " + batch);
        }
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
        return tiles -> {
            boolean wasTraining = model.isTraining();
            model.eval();
            try (var ignored = GradMode.noGrad()) {
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
     * {@return the starts of the tiles along a side of {@code length} pixels}
     *
     * @param length the side in pixels
     */
    int[] starts(int length) {
        if (length <= tile) {
            return new int[] {0};
        }
        int stride = tile - overlap;
        int n = Math.max(2, (int) Math.ceil((double) (length - overlap) / stride));
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = (int) Math.round((double) i * (length - tile) / (n - 1));
        }
        return s;
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
        int[] xs = starts(w);
        int[] ys = starts(h);
        double[] sum = new double[w * h];
        double[] weight = new double[w * h];
        List<int[]> pending = new ArrayList<>();
        for (int ty : ys) {
            for (int tx : xs) {
                pending.add(new int[] {tx, ty});
                if (pending.size() == batch) {
                    run(image, model, pending, sum, weight);
                    pending.clear();
                }
            }
        }
        if (!pending.isEmpty()) {
            run(image, model, pending, sum, weight);
        }
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / weight[i]);
        }
        return out;
    }

    private void run(Image8 image, TileModel model, List<int[]> tiles, double[] sum, double[] weight) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        int plane = tile * tile;
        float[] x = new float[tiles.size() * c * plane];
        byte[] src = image.data();
        for (int n = 0; n < tiles.size(); n++) {
            int[] t = tiles.get(n);
            int base = n * c * plane;
            for (int y = 0; y < tile; y++) {
                // Pixels past the image's edge repeat the edge (only when the image is smaller than a tile).
                int sy = Math.min(h - 1, t[1] + y);
                for (int xx = 0; xx < tile; xx++) {
                    int sx = Math.min(w - 1, t[0] + xx);
                    int si = (sy * w + sx) * c;
                    for (int ch = 0; ch < c; ch++) {
                        x[base + ch * plane + y * tile + xx] = (src[si + ch] & 0xFF) / 255f;
                    }
                }
            }
        }
        float[] p = model.predict(Tensor.wrap(x, tiles.size(), c, tile, tile));
        if (p.length != tiles.size() * plane) {
            throw new IllegalStateException("tile model returned " + p.length + " values for " + tiles.size()
                    + " tiles of " + tile + "x" + tile + ", expected " + tiles.size() * plane);
        }
        for (int n = 0; n < tiles.size(); n++) {
            int[] t = tiles.get(n);
            double[] fx = window(t[0] > 0, t[0] + tile < w);
            double[] fy = window(t[1] > 0, t[1] + tile < h);
            for (int y = 0; y < tile && t[1] + y < h; y++) {
                if (fy[y] == 0) {
                    continue;
                }
                for (int xx = 0; xx < tile && t[0] + xx < w; xx++) {
                    double wt = fy[y] * fx[xx];
                    if (wt == 0) {
                        continue;
                    }
                    int i = (t[1] + y) * w + t[0] + xx;
                    sum[i] += wt * p[n * plane + y * tile + xx];
                    weight[i] += wt;
                }
            }
        }
    }

    /** The blending weights along one side of a tile: ramps only on the sides another tile covers. */
    double[] window(boolean coveredBefore, boolean coveredAfter) {
        double[] f = new double[tile];
        int margin = overlap / 4;
        int ramp = Math.max(1, overlap / 2 - margin);
        for (int i = 0; i < tile; i++) {
            double a = coveredBefore ? ramp(i, margin, ramp) : 1;
            double b = coveredAfter ? ramp(tile - 1 - i, margin, ramp) : 1;
            f[i] = Math.min(a, b);
        }
        return f;
    }

    private static double ramp(int d, int margin, int ramp) {
        return d < margin ? 0 : Math.min(1, (d - margin + 1) / (double) ramp);
    }
}
