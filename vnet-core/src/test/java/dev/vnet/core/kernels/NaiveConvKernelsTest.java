package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Checks the reference convolution on cases small enough to work out by hand. */
class NaiveConvKernelsTest {

    private final NaiveConvKernels conv = NaiveConvKernels.INSTANCE;

    // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,0],[0,-1]], no padding, stride 1: y[i][j] = x[i][j] - x[i+1][j+1] = -4
    @Test
    void forward2x2KernelOn3x3Input() {
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        float[] y = {99, 99, 99, 99};
        conv.forward(g, x, w, new float[] {0.5f}, y);
        assertThat(y).containsExactly(-3.5f, -3.5f, -3.5f, -3.5f);
    }

    // 3x3 box kernel with padding 1 on a 2x2 input of ones: every output sees all four inputs.
    // Stride 2 with padding 1 on a 3x3 input: outputs at the corners see 4 inputs each.
    @Test
    void forwardWithPaddingAndStride() {
        ConvGeometry g = new ConvGeometry(1, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1);
        float[] y = new float[4];
        conv.forward(g, new float[] {1, 1, 1, 1}, ones(9), null, y);
        assertThat(y).containsExactly(4, 4, 4, 4);

        ConvGeometry g2 = new ConvGeometry(1, 1, 3, 3, 1, 3, 3, 2, 2, 1, 1);
        assertThat(g2.p()).isEqualTo(2);
        float[] y2 = new float[4];
        conv.forward(g2, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, ones(9), null, y2);
        // (0,0): 1+2+4+5; (0,1): 2+3+5+6; (1,0): 4+5+7+8; (1,1): 5+6+8+9
        assertThat(y2).containsExactly(12, 16, 24, 28);
    }

    // Two input channels, two output channels, 1x1 kernel: a per-pixel matrix product.
    @Test
    void forward1x1MixesChannels() {
        ConvGeometry g = new ConvGeometry(1, 2, 1, 2, 2, 1, 1, 1, 1, 0, 0);
        float[] x = {1, 2, /* c1 */ 10, 20};
        float[] w = {1, 1, /* k1 */ 2, -1};
        float[] y = new float[4];
        conv.forward(g, x, w, new float[] {0, 100}, y);
        assertThat(y).containsExactly(11, 22, 100 - 8, 100 - 16);
    }

    // The backward kernels of y = x ⋆ w on a 3x3 input with a 2x2 kernel, against the chain rule by hand;
    // they add to what is already in dx, dw, dbias.
    @Test
    void backwardAccumulatesByHand() {
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 2, 3, 4};
        float[] dy = {1, 0, 0, 2};
        float[] dx = ones(9);
        conv.backwardInput(g, dy, w, dx);
        // dy[0,0]=1 spreads w over x[0..1][0..1]; dy[1,1]=2 spreads 2w over x[1..2][1..2]
        assertThat(dx).containsExactly(1 + 1, 1 + 2, 1, 1 + 3, 1 + 4 + 2, 1 + 4, 1, 1 + 6, 1 + 8);

        float[] dw = {10, 10, 10, 10};
        float[] db = {1};
        conv.backwardWeight(g, x, dy, dw, db);
        // dw[r][s] = x[r][s]*1 + x[r+1][s+1]*2
        assertThat(dw).containsExactly(10 + 1 + 10, 10 + 2 + 12, 10 + 4 + 16, 10 + 5 + 18);
        assertThat(db[0]).isCloseTo(4f, within(0f));
    }

    // Stride 2 backward to the input: only the inputs the kernel touched receive gradient.
    @Test
    void backwardInputWithStride() {
        ConvGeometry g = new ConvGeometry(1, 1, 4, 4, 1, 1, 1, 2, 2, 0, 0);
        float[] dx = new float[16];
        conv.backwardInput(g, new float[] {1, 2, 3, 4}, new float[] {3}, dx);
        assertThat(dx).containsExactly(3, 0, 6, 0, 0, 0, 0, 0, 9, 0, 12, 0, 0, 0, 0, 0);
    }

    @Test
    void rejectsShortArrays() {
        ConvGeometry g = new ConvGeometry(1, 1, 3, 3, 1, 2, 2, 1, 1, 0, 0);
        assertThatThrownBy(() -> conv.forward(g, new float[8], new float[4], null, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has 8 floats, expected at least 9");
        assertThatThrownBy(() -> conv.forward(g, new float[9], new float[4], new float[0], new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
