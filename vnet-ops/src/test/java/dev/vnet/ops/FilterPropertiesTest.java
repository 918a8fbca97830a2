package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.parallel.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the filters that hold for any input, and their errors for bad arguments. */
class FilterPropertiesTest {
    static Image8 random(int w, int h, int cn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] d = new byte[w * h * cn];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) r.nextInt(256);
        }
        return new Image8(w, h, cn, d);
    }

    // Few distinct values: many ties, which is where a median network or histogram could go wrong.
    static Image8 randomFewLevels(int w, int h, int cn, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] d = new byte[w * h * cn];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (r.nextInt(4) * 85);
        }
        return new Image8(w, h, cn, d);
    }

    static Image8 constant(int w, int h, int cn, int v) {
        byte[] d = new byte[w * h * cn];
        Arrays.fill(d, (byte) v);
        return new Image8(w, h, cn, d);
    }

    @Test
    void blurOfAConstantImageIsThatConstant() {
        for (int v : new int[] {0, 1, 77, 128, 254, 255}) {
            for (int cn : new int[] {1, 3}) {
                Image8 img = constant(23, 11, cn, v);
                assertThat(GaussianBlur.apply(img, 7, 3, 0, 0).sameAs(img)).as("gaussian 7x3 of %d", v).isTrue();
                assertThat(GaussianBlur.apply(img, 0, 0, 2.7, 0).sameAs(img)).as("gaussian sigma 2.7 of %d", v).isTrue();
                assertThat(GaussianBlur.apply(img, 31, 31, 0, 0).sameAs(img)).as("gaussian 31 of %d", v).isTrue();
                for (int k : new int[] {3, 5, 7, 13}) {
                    assertThat(MedianBlur.apply(img, k).sameAs(img)).as("median %d of %d", k, v).isTrue();
                }
                assertThat(Resize.apply(img, 7, 5, Resize.Interpolation.AREA).data())
                        .containsOnly((byte) v);
                assertThat(Resize.apply(img, 50, 31, Resize.Interpolation.LINEAR).data())
                        .containsOnly((byte) v);
            }
        }
    }

    @Test
    void fixedPointKernelsSumTo256() {
        for (int k = 1; k <= 61; k += 2) {
            for (double sigma : new double[] {0, 0.4, 1, 2.5, 9}) {
                int[] taps = GaussianBlur.fixedPointKernel(k, sigma);
                assertThat(Arrays.stream(taps).sum()).as("k=%d sigma=%s", k, sigma).isEqualTo(256);
                assertThat(Arrays.stream(taps).min().getAsInt()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void softExpTableIsOpenCvsTable() {
        // three entries of OpenCV's expTab (core/src/softfloat.cpp), as raw bits
        assertThat(Double.doubleToRawLongBits(SoftExp.POW2_TABLE[1])).isEqualTo(0x3ff02c9a3e778061L);
        assertThat(Double.doubleToRawLongBits(SoftExp.POW2_TABLE[32])).isEqualTo(0x3ff6a09e667f3bcdL);
        assertThat(Double.doubleToRawLongBits(SoftExp.POW2_TABLE[63])).isEqualTo(0x3fffa7c1819e90d8L);
        assertThat(SoftExp.exp(0)).isEqualTo(1.0);
        assertThat(SoftExp.exp(-1)).isCloseTo(Math.exp(-1), org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void fastGaussianEqualsDirect2dSum() {
        // 3 and 5 with sigma 0 (OpenCV's fixed tables, in any combination with each other and 1) take the 16-bit
        // path, the others the 32-bit one
        int[][] params = {{3, 3}, {5, 5}, {5, 3}, {3, 5}, {1, 5}, {5, 1}, {1, 3}, {3, 1}, {7, 3}, {1, 9}, {11, 11},
                {0, 0}};
        for (int cn : new int[] {1, 3}) {
            for (int[] p : params) {
                for (int[] size : new int[][] {{17, 13}, {4, 3}, {1, 6}, {9, 1}}) {
                    Image8 img = random(size[0], size[1], cn, 31L * p[0] + size[0]);
                    double sigma = p[0] == 0 ? 1.3 : 0;
                    assertThat(GaussianBlur.apply(img, p[0], p[1], sigma, 0)
                            .sameAs(GaussianBlur.naive(img, p[0], p[1], sigma, 0)))
                            .as("k=%dx%d %dx%dx%d", p[0], p[1], size[0], size[1], cn).isTrue();
                }
            }
        }
    }

    @Test
    void fastGaussianEqualsDirect2dSumOnRowsLongerThanATile() {
        // rows of 1200 to 2100 samples: the fast path works in tiles of 1024 samples with a halo on each side
        int[][] params = {{5, 5}, {3, 3}, {7, 5}, {5, 1}, {3, 5}};
        for (int cn : new int[] {1, 3}) {
            for (int[] p : params) {
                for (int w : new int[] {700, 1025, 2100 / cn}) {
                    Image8 img = random(w, 6, cn, 7L * w + p[0] + cn);
                    assertThat(GaussianBlur.apply(img, p[0], p[1], 0, 0)
                            .sameAs(GaussianBlur.naive(img, p[0], p[1], 0, 0)))
                            .as("k=%dx%d %dx6x%d", p[0], p[1], w, cn).isTrue();
                }
            }
        }
        Image8 img = random(523, 5, 3, 11);
        assertThat(GaussianBlur.apply(img, 0, 0, 2.2, 0).sameAs(GaussianBlur.naive(img, 0, 0, 2.2, 0))).isTrue();
    }

    @Test
    void medianWithKsize1IsTheIdentity() {
        Image8 img = random(19, 7, 3, 5);
        Image8 out = MedianBlur.apply(img, 1);
        assertThat(out.sameAs(img)).isTrue();
        assertThat(out.data()).isNotSameAs(img.data());
    }

    @Test
    void fastMedianEqualsNaiveMedian() {
        long seed = 1;
        for (int k = 3; k <= 21; k += 2) {
            for (int cn : new int[] {1, 3}) {
                for (int[] size : new int[][] {{23, 17}, {5, 4}, {1, 9}, {12, 1}, {2, 2}}) {
                    Image8 a = random(size[0], size[1], cn, seed++);
                    Image8 b = randomFewLevels(size[0], size[1], cn, seed++);
                    for (Image8 img : new Image8[] {a, b}) {
                        Image8 ref = MedianBlur.naive(img, k);
                        assertThat(MedianBlur.apply(img, k).sameAs(ref)).as("apply k=%d %s", k, img).isTrue();
                        assertThat(MedianBlur.histogramMethod(img, k).sameAs(ref)).as("histogram k=%d %s", k, img).isTrue();
                        if (k <= 5) {
                            assertThat(MedianBlur.networkMethod(img, k).sameAs(ref)).as("network k=%d %s", k, img).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void medianNetworkEqualsNaiveOnRowsWiderThanOneTile() {
        // The network packs 7 samples per long and works in tiles of 256 longs: rows of 2100 and 1795 samples
        // span two tiles, and every field of the packing holds a different part of the row.
        for (int k : new int[] {3, 5}) {
            for (Image8 img : new Image8[] {random(700, 6, 3, 11), random(1795, 5, 1, 12), randomFewLevels(700, 6, 3, 13)}) {
                assertThat(MedianBlur.networkMethod(img, k).sameAs(MedianBlur.naive(img, k)))
                        .as("network k=%d %s", k, img).isTrue();
            }
        }
    }

    @Test
    void fastMedianEqualsNaiveMedianOnLongRowsAndTinyImages() {
        // long rows cross several tiles of packed samples and the boundaries between the packed parts of a row;
        // tiny images have fewer samples than packing fields
        long seed = 100;
        for (int k : new int[] {3, 5}) {
            // rows of 9000 and 9300 samples are cut into two chunks of packed lanes; 8961 is one sample past a chunk
            for (int[] size : new int[][] {{1030, 3, 3}, {3100, 2, 1}, {3074, 3, 1}, {4, 5, 1}, {2, 3, 1},
                    {3000, 4, 3}, {9300, 3, 1}, {8961, 2, 1}, {2987, 3, 3}}) {
                Image8 a = random(size[0], size[1], size[2], seed++);
                Image8 b = randomFewLevels(size[0], size[1], size[2], seed++);
                for (Image8 img : new Image8[] {a, b}) {
                    assertThat(MedianBlur.networkMethod(img, k).sameAs(MedianBlur.naive(img, k)))
                            .as("network k=%d %s", k, img).isTrue();
                }
            }
        }
    }

    @Test
    void medianNetworksAreSmall() {
        // Column sort, pair merge and window network, per output sample; sorting the 9 or 25 samples would need more.
        assertThat(MedianBlur.SmallWindowPlan.forWindow(3).comparators()).isLessThanOrEqualTo(13);
        assertThat(MedianBlur.SmallWindowPlan.forWindow(5).comparators()).isLessThanOrEqualTo(60);
    }

    @Test
    void smallWindowPlansGiveTheMedianOfEverySortedZeroOneWindow() {
        // 0-1 principle: a comparator network that selects the median of every 0/1 input selects it of every input.
        // The plans start from sorted columns, so the 0/1 windows are the (k+1)^k choices of ones per column.
        for (int k : new int[] {3, 5}) {
            MedianBlur.SmallWindowPlan plan = MedianBlur.SmallWindowPlan.forWindow(k);
            int cases = (int) Math.pow(k + 1, k);
            for (int c = 0; c < cases; c++) {
                int[][] window = new int[k][k];
                int ones = 0;
                for (int col = 0, rest = c; col < k; col++, rest /= k + 1) {
                    int n = rest % (k + 1);
                    ones += n;
                    for (int i = 0; i < n; i++) {
                        window[col][k - 1 - i] = 1; // n ones at the bottom: the plan sorts the column first
                    }
                }
                assertThat(plan.median(window)).as("k=%d case %d", k, c).isEqualTo(ones > k * k / 2 ? 1 : 0);
            }
            SplittableRandom r = new SplittableRandom(k);
            for (int c = 0; c < 2000; c++) {
                int[][] window = new int[k][k];
                int[] all = new int[k * k];
                for (int i = 0; i < k * k; i++) {
                    window[i / k][i % k] = all[i] = r.nextInt(c % 2 == 0 ? 4 : 256);
                }
                Arrays.sort(all);
                assertThat(plan.median(window)).as("k=%d random %d", k, c).isEqualTo(all[k * k / 2]);
            }
        }
    }

    @Test
    void multithreadedEqualsSingleThreaded() {
        Image8 img = random(301, 233, 3, 99); // ~210k samples: several bands
        Image8 gray = random(257, 300, 1, 98);
        Image8[] single = WorkerPool.of(1).call(() -> results(img, gray));
        for (int t : new int[] {2, 3, 7}) {
            Image8[] multi;
            try (WorkerPool pool = WorkerPool.of(t)) {
                multi = pool.call(() -> results(img, gray));
            }
            for (int i = 0; i < single.length; i++) {
                assertThat(multi[i].sameAs(single[i])).as("result %d with %d threads", i, t).isTrue();
            }
        }
    }

    private static Image8[] results(Image8 img, Image8 gray) {
        return new Image8[] {
            GaussianBlur.apply(img, 5, 0), GaussianBlur.apply(gray, 0, 0, 3.0, 1.0),
            MedianBlur.apply(img, 3), MedianBlur.apply(img, 5), MedianBlur.apply(gray, 9),
            Resize.apply(img, 128, 97, Resize.Interpolation.LINEAR), Resize.apply(img, 150, 116, Resize.Interpolation.LINEAR),
            Resize.apply(img, 100, 77, Resize.Interpolation.AREA), Resize.apply(gray, 600, 500, Resize.Interpolation.AREA),
            Resize.apply(img, 640, 480, Resize.Interpolation.NEAREST),
        };
    }

    @Test
    void badArgumentsNameTheParameterAndWhatIsAllowed() {
        Image8 img = random(8, 8, 1, 3);
        assertThatThrownBy(() -> MedianBlur.apply(img, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is 4").hasMessageContaining("odd");
        assertThatThrownBy(() -> MedianBlur.apply(img, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is 0");
        assertThatThrownBy(() -> MedianBlur.apply(img, -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksize is -3");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeX is 4").hasMessageContaining("odd");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 3, 6, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeY is 6");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ksizeX is 0").hasMessageContaining("sigmaX");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 5, -1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmaX is -1.0").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> GaussianBlur.apply(img, 5, 5, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmaY is NaN");
        assertThatThrownBy(() -> Resize.apply(img, 0, 5, Resize.Interpolation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x5");
        assertThatThrownBy(() -> Resize.apply(img, 5, 5, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interpolation");
        assertThatThrownBy(() -> WorkerPool.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void wrongChannelCountIsRejected() {
        // Image8 itself refuses 2 and 4 channels, naming the count and what is allowed.
        assertThatThrownBy(() -> new Image8(4, 4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 channels, expected 1 or 3");
        assertThatThrownBy(() -> new Image8(4, 4, 4, new byte[64])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 channels, expected 1 or 3");
    }
}
