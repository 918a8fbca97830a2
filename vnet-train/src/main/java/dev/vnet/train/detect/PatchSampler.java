package dev.vnet.train.detect;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.io.data.Augment;
import dev.vnet.io.data.ImageTensors;
import dev.vnet.ops.Image8;
import java.util.ArrayList;
import java.util.List;

/**
 * Square training patches at the working scale, each with its heat-map target. A patch is centred near one of three
 * things, drawn with the probabilities of {@link Mix}: a labelled blast, a hard negative (a purple blob with no
 * label: another white cell, a smudge, an unlabelled blast) or any place of any image (mostly background and red
 * cells). The chosen point lands anywhere in the patch's middle half, so the network does not learn that cells sit
 * in the centre. Patches stay inside the image when it is large enough; a side shorter than a patch repeats its edge
 * pixels, as {@link TiledInference} pads.
 *
 * <p>Then augmentation: a random flip and quarter turn (of the image and its centres alike) and a {@link StainJitter}.
 * Patch {@code index} of {@code epoch} depends only on the seed, the epoch and the index, so an epoch is a number of
 * patches, the same on every run and every thread count.
 */
public final class PatchSampler {
    private final List<ScaledImage> images;
    private final int size;
    private final double sigma;
    private final Mix mix;
    private final boolean geometric;
    private final StainJitter jitter;
    private final long seed;
    private final List<int[]> blasts = new ArrayList<>();
    private final List<int[]> negatives = new ArrayList<>();

    /**
     * How often a patch is centred on each kind of place; the rest of the time, anywhere.
     *
     * @param blast    probability of centring on a labelled blast
     * @param negative probability of centring on a hard negative
     */
    public record Mix(double blast, double negative) {
        /** Blasts 45%, hard negatives 30%, anywhere 25%. */
        public static final Mix DEFAULT = new Mix(0.45, 0.30);

        /**
         * Validates the probabilities.
         *
         * @param blast    probability of centring on a labelled blast
         * @param negative probability of centring on a hard negative
         */
        public Mix {
            if (!(blast >= 0 && negative >= 0 && blast + negative <= 1)) {
                throw new IllegalArgumentException("patch mix needs probabilities >= 0 summing to at most 1, got blast "
                        + blast + ", negative " + negative);
            }
        }
    }

    /**
     * One patch.
     *
     * @param image   the RGB patch, {@code size × size}
     * @param target  its heat-map, {@code size × size} row-major, values in [0, 1]
     * @param centres the blast centres {x, y} in the patch's pixels (some may lie just outside it)
     * @param source  the name of the image it was cut from
     */
    public record Patch(Image8 image, float[] target, List<double[]> centres, String source) {}

    /**
     * A batch of patches as tensors.
     *
     * @param images  {@code [n, 3, size, size]} in [0, 1]
     * @param targets {@code [n, 1, size, size]} in [0, 1]
     * @param patches the patches
     */
    public record Batch(Tensor images, Tensor targets, List<Patch> patches) {}

    /**
     * A sampler over {@code images}.
     *
     * @param images   the training images at the working scale, at least one
     * @param size     patch side in working pixels
     * @param diameter blast diameter in working pixels (sets the heat-map's σ)
     * @param mix      how often patches centre on blasts and hard negatives
     * @param augment  random flips and quarter turns
     * @param jitter   the stain and exposure changes
     * @param seed     the seed of every choice
     */
    public PatchSampler(List<ScaledImage> images, int size, double diameter, Mix mix, boolean augment,
                        StainJitter jitter, long seed) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("patch sampling needs at least one image");
        }
        if (size < 8) {
            throw new IllegalArgumentException("patch side must be >= 8 pixels, got " + size);
        }
        this.images = List.copyOf(images);
        this.size = size;
        this.sigma = HeatMapTarget.sigmaFor(diameter);
        this.mix = mix;
        this.geometric = augment;
        this.jitter = jitter;
        this.seed = seed;
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < images.get(i).blasts().size(); j++) {
                blasts.add(new int[] {i, j});
            }
            for (int j = 0; j < images.get(i).negatives().size(); j++) {
                negatives.add(new int[] {i, j});
            }
        }
    }

    /** {@return the patch side in pixels} */
    public int size() {
        return size;
    }

    /**
     * {@return patch {@code index} of {@code epoch}}
     *
     * @param epoch the epoch (any number; the same pair gives the same patch)
     * @param index the patch's index in the epoch
     */
    public Patch patch(int epoch, long index) {
        long h = seed;
        h = h * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0x9E3779B97F4A7C15L + index;
        Rng rng = new Rng(h);
        double u = rng.nextDouble();
        ScaledImage img;
        double[] at;
        if (u < mix.blast() && !blasts.isEmpty()) {
            int[] k = blasts.get(rng.nextInt(blasts.size()));
            img = images.get(k[0]);
            at = img.blasts().get(k[1]);
        } else if (u < mix.blast() + mix.negative() && !negatives.isEmpty()) {
            int[] k = negatives.get(rng.nextInt(negatives.size()));
            img = images.get(k[0]);
            at = img.negatives().get(k[1]);
        } else {
            img = images.get(rng.nextInt(images.size()));
            at = new double[] {rng.nextDouble() * img.image().width(), rng.nextDouble() * img.image().height()};
        }
        int x0 = origin(at[0], img.image().width(), rng);
        int y0 = origin(at[1], img.image().height(), rng);
        Image8 crop = crop(img.image(), x0, y0);
        List<double[]> centres = new ArrayList<>();
        for (double[] b : img.blasts()) {
            centres.add(new double[] {b[0] - x0, b[1] - y0});
        }
        boolean flipX = geometric && rng.nextInt(2) == 1;
        boolean flipY = geometric && rng.nextInt(2) == 1;
        int turns = geometric ? rng.nextInt(4) : 0;
        if (flipX || flipY || turns != 0) {
            crop = Augment.transform(crop, flipX, flipY, turns);
            List<double[]> moved = new ArrayList<>(centres.size());
            for (double[] c : centres) {
                moved.add(transform(c, size, flipX, flipY, turns));
            }
            centres = moved;
        }
        crop = jitter.apply(crop, rng);
        return new Patch(crop, HeatMapTarget.render(size, size, centres, sigma), centres, img.name());
    }

    /**
     * {@return patches {@code first .. first + count − 1} of {@code epoch} as tensors}
     *
     * @param epoch the epoch
     * @param first index of the first patch
     * @param count patches in the batch
     */
    public Batch batch(int epoch, long first, int count) {
        int plane = size * size;
        float[] x = new float[count * 3 * plane];
        float[] y = new float[count * plane];
        List<Patch> patches = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            Patch p = patch(epoch, first + n);
            ImageTensors.toChannelsFirst(p.image(), x, n * 3 * plane);
            System.arraycopy(p.target(), 0, y, n * plane, plane);
            patches.add(p);
        }
        return new Batch(Tensor.wrap(x, count, 3, size, size), Tensor.wrap(y, count, 1, size, size), patches);
    }

    /** The patch's first column (or row) so that {@code c} lands in its middle half, inside the image if it fits. */
    private int origin(double c, int extent, Rng rng) {
        if (extent <= size) {
            return -(size - extent) / 2;
        }
        int o = (int) Math.floor(c - size / 4.0 - rng.nextDouble() * size / 2.0);
        return Math.max(0, Math.min(extent - size, o));
    }

    private Image8 crop(Image8 src, int x0, int y0) {
        int w = src.width();
        int h = src.height();
        Image8 out = new Image8(size, size, 3);
        byte[] s = src.data();
        byte[] d = out.data();
        for (int y = 0; y < size; y++) {
            int sy = Math.max(0, Math.min(h - 1, y0 + y));
            for (int x = 0; x < size; x++) {
                int sx = Math.max(0, Math.min(w - 1, x0 + x));
                System.arraycopy(s, (sy * w + sx) * 3, d, (y * size + x) * 3, 3);
            }
        }
        return out;
    }

    /**
     * Where a point of a square {@code n × n} image goes under {@link Augment#transform}: flips first, then
     * {@code turns} clockwise quarter turns.
     */
    static double[] transform(double[] p, int n, boolean flipX, boolean flipY, int turns) {
        double x = flipX ? n - 1 - p[0] : p[0];
        double y = flipY ? n - 1 - p[1] : p[1];
        return switch (Math.floorMod(turns, 4)) {
            case 0 -> new double[] {x, y};
            case 1 -> new double[] {n - 1 - y, x};
            case 2 -> new double[] {n - 1 - x, n - 1 - y};
            default -> new double[] {y, n - 1 - x};
        };
    }
}
