package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.io.data.Augment;
import dev.vnet.ops.Image8;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

    /** A pink smear with purple discs of diameter 28 at the given centres. */
    static Image8 smear(int w, int h, double[]... discs) {
        Image8 img = new Image8(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] rgb = {225, 200, 205};
                for (double[] d : discs) {
                    if ((x - d[0]) * (x - d[0]) + (y - d[1]) * (y - d[1]) <= 14 * 14) {
                        rgb = new int[] {110, 50, 150};
                    }
                }
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, rgb[c]);
                }
            }
        }
        return img;
    }

    private static ScaledImage image() {
        double[] b1 = {50, 50};
        double[] b2 = {75, 52};
        double[] other = {150, 100};
        return new ScaledImage("Im001_1", smear(200, 150, b1, b2, other), 800, 600, List.of(b1, b2), List.of(other), true);
    }

    @Test
    void aPatchDependsOnlyOnSeedEpochAndIndex() {
        PatchSampler a = new PatchSampler(List.of(image()), 64, 28, PatchSampler.Mix.DEFAULT, true, StainJitter.CARD, 11);
        PatchSampler b = new PatchSampler(List.of(image()), 64, 28, PatchSampler.Mix.DEFAULT, true, StainJitter.CARD, 11);
        PatchSampler.Patch p = a.patch(3, 17);
        PatchSampler.Patch q = b.patch(3, 17);
        assertThat(p.image().data()).isEqualTo(q.image().data());
        assertThat(p.target()).isEqualTo(q.target());
        boolean differs = false;
        for (int i = 0; i < 10 && !differs; i++) {
            differs = !java.util.Arrays.equals(a.patch(3, 18 + i).image().data(), p.image().data());
        }
        assertThat(differs).isTrue();
        assertThat(a.patch(4, 17).image().data()).isNotEqualTo(p.image().data());
    }

    @Test
    void pointsMoveAsAugmentMovesPixels() {
        int n = 9;
        for (int turns = 0; turns < 4; turns++) {
            for (int flips = 0; flips < 4; flips++) {
                Image8 img = new Image8(n, n, 1);
                img.set(2, 7, 0, 255);
                boolean fx = (flips & 1) != 0;
                boolean fy = (flips & 2) != 0;
                Image8 moved = Augment.transform(img, fx, fy, turns);
                double[] p = PatchSampler.transform(new double[] {2, 7}, n, fx, fy, turns);
                assertThat(moved.get((int) p[0], (int) p[1], 0)).as("turns %d flips %d", turns, flips).isEqualTo(255);
            }
        }
    }

    @Test
    void blastPatchesShowABlastUnderAPeakAndNegativePatchesShowTheNegativeWithoutOne() {
        PatchSampler blasts = new PatchSampler(List.of(image()), 64, 28, new PatchSampler.Mix(1, 0), true,
                StainJitter.NONE, 5);
        for (int i = 0; i < 20; i++) {
            PatchSampler.Patch p = blasts.patch(1, i);
            double[] inside = p.centres().stream().filter(c -> c[0] >= 15 && c[0] <= 48.5 && c[1] >= 15 && c[1] <= 48.5)
                    .findFirst().orElseThrow();
            int x = (int) Math.round(inside[0]);
            int y = (int) Math.round(inside[1]);
            assertThat(p.target()[y * 64 + x]).isGreaterThan(0.9f);
            assertThat(p.image().get(x, y, 1)).as("green of the nucleus").isEqualTo(50);
        }
        PatchSampler negatives = new PatchSampler(List.of(image()), 64, 28, new PatchSampler.Mix(0, 1), false,
                StainJitter.NONE, 5);
        for (int i = 0; i < 20; i++) {
            PatchSampler.Patch p = negatives.patch(1, i);
            // Without augmentation the patch's origin is the negative's position minus where it landed.
            int purpleAndNoPeak = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    if (p.image().get(x, y, 1) == 50 && p.target()[y * 64 + x] < 1e-3f) {
                        purpleAndNoPeak++;
                    }
                }
            }
            assertThat(purpleAndNoPeak).as("patch %d", i).isGreaterThan(400);
        }
    }

    @Test
    void anImageSmallerThanAPatchIsPaddedAroundItsMiddle() {
        double[] b = {10, 12};
        ScaledImage small = new ScaledImage("s", smear(30, 20, b), 120, 80, List.<double[]>of(b), List.of(), true);
        PatchSampler s = new PatchSampler(List.of(small), 64, 28, new PatchSampler.Mix(1, 0), false, StainJitter.NONE, 1);
        PatchSampler.Patch p = s.patch(0, 0);
        // Origin (-17, -22): the blast lands at (27, 34).
        assertThat(p.centres().get(0)[0]).isCloseTo(27, within(1e-12));
        assertThat(p.centres().get(0)[1]).isCloseTo(34, within(1e-12));
        assertThat(p.target()[34 * 64 + 27]).isEqualTo(1f);
        PatchSampler.Batch batch = s.batch(0, 0, 3);
        assertThat(batch.images().shape()).containsExactly(3, 3, 64, 64);
        assertThat(batch.targets().shape()).containsExactly(3, 1, 64, 64);
    }

    @Test
    void stainJitterChangesColourButKeepsPurpleDarkerThanBackground() {
        Image8 img = smear(40, 40, new double[] {20, 20});
        StainJitter j = StainJitter.CARD;
        boolean changed = false;
        for (int i = 0; i < 10; i++) {
            Image8 out = j.apply(img, new dev.vnet.core.tensor.Rng(i));
            changed |= !java.util.Arrays.equals(out.data(), img.data());
            int nucleus = out.get(20, 20, 0) + out.get(20, 20, 1) + out.get(20, 20, 2);
            int background = out.get(1, 1, 0) + out.get(1, 1, 1) + out.get(1, 1, 2);
            assertThat(nucleus).isLessThan(background);
        }
        assertThat(changed).isTrue();
        assertThat(StainJitter.NONE.apply(img, new dev.vnet.core.tensor.Rng(1))).isSameAs(img);
    }
}
