package dev.vnet.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fast Gaussian paths (separable, 16-bit binomial) held to {@link GaussianNaive}, and the kernels' properties. */
class GaussianBlurTest {

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
                    Image8 img = FilterPropertiesTest.random(size[0], size[1], cn, 31L * p[0] + size[0]);
                    double sigma = p[0] == 0 ? 1.3 : 0;
                    assertThat(GaussianBlur.apply(img, p[0], p[1], sigma, 0)
                            .sameAs(GaussianNaive.apply(img, p[0], p[1], sigma, 0)))
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
                    Image8 img = FilterPropertiesTest.random(w, 6, cn, 7L * w + p[0] + cn);
                    assertThat(GaussianBlur.apply(img, p[0], p[1], 0, 0)
                            .sameAs(GaussianNaive.apply(img, p[0], p[1], 0, 0)))
                            .as("k=%dx%d %dx6x%d", p[0], p[1], w, cn).isTrue();
                }
            }
        }
        Image8 img = FilterPropertiesTest.random(523, 5, 3, 11);
        assertThat(GaussianBlur.apply(img, 0, 0, 2.2, 0).sameAs(GaussianNaive.apply(img, 0, 0, 2.2, 0))).isTrue();
    }
}
