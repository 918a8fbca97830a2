package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast median paths (selection networks on packed rows, sliding histogram) held to the sorting reference. */
class MedianBlurTest {

    @Test
    void medianWithKsize1IsTheIdentity() {
        Image8 img = FilterPropertiesTest.random(19, 7, 3, 5);
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
                    Image8 a = FilterPropertiesTest.random(size[0], size[1], cn, seed++);
                    Image8 b = FilterPropertiesTest.randomFewLevels(size[0], size[1], cn, seed++);
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
            for (Image8 img : new Image8[] {FilterPropertiesTest.random(700, 6, 3, 11), FilterPropertiesTest.random(1795, 5, 1, 12), FilterPropertiesTest.randomFewLevels(700, 6, 3, 13)}) {
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
                Image8 a = FilterPropertiesTest.random(size[0], size[1], size[2], seed++);
                Image8 b = FilterPropertiesTest.randomFewLevels(size[0], size[1], size[2], seed++);
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
        assertThat(MedianWindowPlan.forWindow(3).comparators()).isLessThanOrEqualTo(13);
        assertThat(MedianWindowPlan.forWindow(5).comparators()).isLessThanOrEqualTo(60);
    }

    @Test
    void smallWindowPlansGiveTheMedianOfEverySortedZeroOneWindow() {
        // 0-1 principle: a comparator network that selects the median of every 0/1 input selects it of every input.
        // The plans start from sorted columns, so the 0/1 windows are the (k+1)^k choices of ones per column.
        for (int k : new int[] {3, 5}) {
            MedianWindowPlan plan = MedianWindowPlan.forWindow(k);
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
}
