package dev.vnet.cli.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.ops.Image8;
import org.junit.jupiter.api.Test;

class TourPicturesTest {
    @Test
    void aFeatureMapIsStretchedFromItsMinimumToItsMaximumAndEnlargedInBlocks() {
        // two channels of 2×2: the first from -1 to 3, the second constant
        float[] v = {-1, 0, 1, 3, 5, 5, 5, 5};
        Image8 row = TourPictures.featureTiles(v, new int[] {1, 2, 2, 2}, 2, 8);
        assertThat(row.width()).isEqualTo(2 * 8 + TourPictures.GAP);
        assertThat(row.height()).isEqualTo(8);
        // each value fills a 4×4 block of its tile
        assertThat(row.get(0, 0, 0)).isZero();
        assertThat(row.get(3, 3, 0)).isZero();
        assertThat(row.get(4, 0, 0)).isEqualTo(Math.round(1 / 4f * 255));
        assertThat(row.get(7, 7, 0)).isEqualTo(255);
        assertThat(row.get(8, 0, 0)).as("the gap").isEqualTo(255);
        assertThat(row.get(8 + TourPictures.GAP, 0, 0)).as("a constant channel").isEqualTo(128);
        assertThatThrownBy(() -> TourPictures.featureTiles(v, new int[] {1, 2, 2, 2}, 3, 8))
                .hasMessageContaining("channels must be 1 to 2, got 3");
    }

    @Test
    void aLargeMapIsAveragedDownToItsTile() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = (i / 4) % 2 == 0 ? 0f : 1f; // rows alternate 0 and 1
        }
        Image8 tile = TourPictures.featureTiles(v, new int[] {1, 1, 4, 4}, 1, 2);
        assertThat(tile.get(0, 0, 0)).isBetween(127, 128);
        assertThat(tile.get(1, 1, 0)).isBetween(127, 128);
    }

    @Test
    void kernelsAreRedWhenPositiveBlueWhenNegativeAndWhiteAtZeroOnOneScale() {
        // two 1×1 kernels, 2 and -1: the first full red, the second half blue
        Image8 k = TourPictures.signedKernels(new float[] {2f, -1f}, new int[] {2, 1, 1, 1}, 3);
        assertThat(k.width()).isEqualTo(2 * 3 + TourPictures.GAP);
        assertThat(rgb(k, 1, 1)).containsExactly(255, 0, 0);
        assertThat(rgb(k, 3 + TourPictures.GAP + 1, 1)).containsExactly(128, 128, 255);
        Image8 zero = TourPictures.signedKernels(new float[] {0f}, new int[] {1, 1, 1, 1}, 2);
        assertThat(rgb(zero, 0, 0)).containsExactly(255, 255, 255);
    }

    @Test
    void theHeatMapIsWhiteFromTheQuantileOnAndBlackAtZero() {
        float[] g = new float[100];
        for (int i = 0; i < 100; i++) {
            g[i] = (i % 2 == 0 ? 1 : -1) * i;
        }
        g[99] = 1e6f; // one extreme value does not darken the rest
        Image8 heat = TourPictures.heat(g, 10, 10, 0.9);
        assertThat(rgb(heat, 0, 0)).containsExactly(0, 0, 0);
        assertThat(rgb(heat, 9, 9)).containsExactly(255, 255, 255);
        assertThat(rgb(heat, 9, 8)).containsExactly(255, 255, 255);
        // the quantile is |g| = 89; |g| = 20 is within the first third, where red rises alone
        assertThat(rgb(heat, 0, 2)).containsExactly(Math.round(20 / 89f * 3 * 255), 0, 0);
        assertThatThrownBy(() -> TourPictures.heat(g, 10, 10, 0)).hasMessageContaining("quantile must be in (0, 1]");
    }

    @Test
    void theRedOverlayBlendsFromTheGrayPictureToRed() {
        Image8 gray = new Image8(2, 1, 1, new byte[] {100, 100});
        Image8 over = TourPictures.redOver(gray, new float[] {0f, 1f});
        assertThat(rgb(over, 0, 0)).containsExactly(100, 100, 100);
        assertThat(rgb(over, 1, 0)).containsExactly(255, 0, 0);
    }

    private static int[] rgb(Image8 img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }
}
