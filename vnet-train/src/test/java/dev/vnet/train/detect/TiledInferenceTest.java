package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.core.nn.vnet.VNet;
import dev.vnet.core.nn.vnet.VNetConfig;
import dev.vnet.core.tensor.Tensor;
import dev.vnet.ops.Image8;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TiledInferenceTest {

    /**
     * A stand-in network with a receptive field of {@code 2·reach + 1} pixels: the mean of channel 0 over a square
     * window, the image zero-padded as a convolution pads it, then squared so that it is not linear.
     */
    private static TiledInference.TileModel boxModel(int reach, int[] calls) {
        return tiles -> {
            calls[0]++;
            int n = tiles.dim(0);
            int c = tiles.dim(1);
            int h = tiles.dim(2);
            int w = tiles.dim(3);
            float[] x = tiles.data();
            float[] out = new float[n * h * w];
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double s = 0;
                        for (int dy = -reach; dy <= reach; dy++) {
                            for (int dx = -reach; dx <= reach; dx++) {
                                int sy = y + dy;
                                int sx = xx + dx;
                                if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                                    s += x[b * c * h * w + sy * w + sx];
                                }
                            }
                        }
                        double m = s / ((2 * reach + 1) * (2 * reach + 1));
                        out[b * h * w + y * w + xx] = (float) (m * m);
                    }
                }
            }
            return out;
        };
    }

    private static Image8 noise(int w, int h, long seed) {
        Image8 img = new Image8(w, h, 3);
        new Random(seed).nextBytes(img.data());
        return img;
    }

    /** The whole image as one tile: the reference the tiles must reproduce. */
    private static float[] whole(Image8 img, TiledInference.TileModel model) {
        float[] x = new float[3 * img.width() * img.height()];
        dev.vnet.io.data.ImageTensors.toChannelsFirst(img, x, 0);
        return model.predict(Tensor.wrap(x, 1, 3, img.height(), img.width()));
    }

    @Test
    void tiledOutputEqualsTheWholeImageOutputWhereTheReceptiveFieldFitsTheMargin() {
        int[] calls = new int[1];
        TiledInference.TileModel model = boxModel(3, calls);
        // Overlap 16 drops 4 px at every inner tile side: more than the model's reach of 3. Passes of 3 × 40² pixels.
        TiledInference tiling = new TiledInference(40, 16, 3);
        for (int[] size : new int[][] {{123, 77}, {40, 40}, {41, 97}, {200, 41}}) {
            Image8 img = noise(size[0], size[1], size[0] * 31L + size[1]);
            calls[0] = 0;
            float[] tiled = tiling.apply(img, model);
            int passes = calls[0];
            float[] ref = whole(img, model);
            assertThat(tiled).as("%dx%d", size[0], size[1]).hasSameSizeAs(ref);
            // Within the model's reach of the bottom and right edges, a tile padded to a multiple of 16 saw the
            // edge repeated where the whole image's model saw zeros (the next test holds that padding).
            for (int y = 0; y < size[1] - 3; y++) {
                for (int x = 0; x < size[0] - 3; x++) {
                    int i = y * size[0] + x;
                    assertThat(tiled[i]).as("%dx%d pixel (%d, %d)", size[0], size[1], x, y).isCloseTo(ref[i],
                            within(1e-6f));
                }
            }
            TiledInference.Layout layout = tiling.layout(size[0], size[1]);
            assertThat(passes).isEqualTo((layout.tiles() + layout.perPass() - 1) / layout.perPass());
        }
        // 123x77 does not fit one pass of 4800 pixels (128x80 aligned): it is cut into several tiles.
        assertThat(tiling.layout(123, 77).tiles()).isGreaterThan(1);
    }

    @Test
    void theTilesFitThePassOverlapByAtLeastTheOverlapAndCoverTheImage() {
        TiledInference tiling = new TiledInference(64, 16, 2);
        for (int length = 1; length < 400; length += 3) {
            for (int other : new int[] {1, 50, 130, 333}) {
                TiledInference.Layout l = tiling.layout(length, other);
                assertThat(l.tileWidth() % TiledInference.ALIGN).isZero();
                assertThat(l.tileHeight() % TiledInference.ALIGN).isZero();
                assertThat((long) l.tileWidth() * l.tileHeight()).as("%dx%d", length, other)
                        .isLessThanOrEqualTo(tiling.passPixels());
                assertThat((long) l.perPass() * l.tileWidth() * l.tileHeight()).isLessThanOrEqualTo(tiling.passPixels());
                assertCovers(l.xs(), l.tileWidth(), length, 16);
                assertCovers(l.ys(), l.tileHeight(), other, 16);
            }
        }
    }

    private static void assertCovers(int[] s, int side, int length, int overlap) {
        assertThat(s[0]).isZero();
        assertThat(s[s.length - 1] + side).as("length %d", length).isGreaterThanOrEqualTo(length);
        for (int i = 1; i < s.length; i++) {
            assertThat(s[i - 1] + side - s[i]).as("length %d", length).isGreaterThanOrEqualTo(overlap);
            assertThat(s[i] + side).as("length %d", length).isLessThanOrEqualTo(length);
        }
    }

    @Test
    void aPhotographAtAQuarterRunsWholeWhenThePassHoldsItAndInTwoTilesOtherwise() {
        // 2592x1944 at a quarter: 648x486, 656x496 aligned = 325,376 pixels.
        TiledInference.Layout whole = new TiledInference(256, 32, 5).layout(648, 486);
        assertThat(whole.tiles()).isEqualTo(1);
        assertThat(whole.pixels()).isEqualTo(656L * 496);
        // Passes of 4 × 256² = 262,144 pixels: two tiles of 352x496 side by side (349,184 pixels; tiles of 256 took 9,
        // 589,824 pixels), one per pass.
        TiledInference.Layout two = new TiledInference(256, 32, 4).layout(648, 486);
        assertThat(two.tileWidth()).isEqualTo(352);
        assertThat(two.tileHeight()).isEqualTo(496);
        assertThat(two.xs()).containsExactly(0, 296);
        assertThat(two.ys()).containsExactly(0);
        assertThat(two.perPass()).isEqualTo(1);
    }

    @Test
    void aConstantImageGivesAConstantMap() {
        TiledInference.TileModel model = boxModel(3, new int[1]);
        Image8 img = new Image8(150, 90, 3);
        java.util.Arrays.fill(img.data(), (byte) 150);
        float[] map = new TiledInference(40, 16, 4).apply(img, model);
        float expected = (150 / 255f) * (150 / 255f);
        // The model itself pads the image's own border with zeros: only there may the map differ.
        for (int y = 3; y < 90 - 3; y++) {
            for (int x = 3; x < 150 - 3; x++) {
                assertThat(map[y * 150 + x]).as("(%d, %d)", x, y).isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @Test
    void anImageWithinOnePassIsPaddedWithItsEdgeToAMultipleOf16AndCropped() {
        VNetConfig cfg = VNetConfig.builder().inChannels(3).baseWidth(4).downConvs(1, 1, 1, 1).upConvs(1, 1, 1, 1).build();
        TiledInference.TileModel model = TiledInference.of(new VNet(cfg, 3));
        Image8 small = noise(20, 30, 9);
        float[] map = new TiledInference(48, 16, 4).apply(small, model);
        Image8 padded = new Image8(32, 32, 3);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    padded.set(x, y, ch, small.get(Math.min(19, x), Math.min(29, y), ch));
                }
            }
        }
        float[] ref = whole(padded, model);
        assertThat(map).hasSize(20 * 30);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(map[y * 20 + x]).isCloseTo(ref[y * 32 + x], within(1e-6f)).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void aConstantModelGivesExactlyThatConstantEverywhere() {
        TiledInference tiling = new TiledInference(32, 12, 5);
        TiledInference.TileModel model = tiles -> {
            float[] out = new float[tiles.dim(0) * tiles.dim(2) * tiles.dim(3)];
            java.util.Arrays.fill(out, 0.375f);
            return out;
        };
        float[] map = tiling.apply(noise(150, 90, 1), model);
        for (float v : map) {
            assertThat(v).isCloseTo(0.375f, within(1e-7f));
        }
    }
}
