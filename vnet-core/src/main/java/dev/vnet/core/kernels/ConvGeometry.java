package dev.vnet.core.kernels;

/**
 * The sizes of one 2D convolution, in the terms of a forward convolution:
 * input {@code x[n][c][h][w]}, weight {@code w[k][c][r][s]}, output {@code y[n][k][p][q]} with
 * {@code p = (h + 2·padH − r) / strideH + 1} and {@code q = (w + 2·padW − s) / strideW + 1}.
 * A transposed convolution is described by the geometry of the convolution it is the gradient of
 * (its input is that convolution's {@code y}, its output that convolution's {@code x}).
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s,
                           int strideH, int strideW, int padH, int padW) {

    /**
     * Validates the sizes and that the kernel fits inside the padded input.
     *
     * @param n       batch size
     * @param c       input channels
     * @param h       input height
     * @param w       input width
     * @param k       output channels
     * @param r       kernel height
     * @param s       kernel width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padH    zero rows added above and below
     * @param padW    zero columns added left and right
     */
    public ConvGeometry {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || k <= 0 || r <= 0 || s <= 0) {
            throw new IllegalArgumentException("conv2d: sizes must be positive: " + this);
        }
        if (strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0: " + this);
        }
        if (r > h + 2 * padH || s > w + 2 * padW) {
            throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " is larger than the padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW) + " (input " + h + "x" + w + ", padding " + padH + "x" + padW + ")");
        }
    }

    /**
     * Output height.
     *
     * @return the output height
     */
    public int p() {
        return (h + 2 * padH - r) / strideH + 1;
    }

    /**
     * Output width.
     *
     * @return the output width
     */
    public int q() {
        return (w + 2 * padW - s) / strideW + 1;
    }

    /**
     * Multiply-adds of the forward pass times two (one FMA = 2 FLOP).
     *
     * @return {@code 2·n·k·c·r·s·p·q}
     */
    public double flops() {
        return 2.0 * n * k * p() * q() * c * r * s;
    }

    /** {@return number of input elements} */
    public int inputSize() {
        return n * c * h * w;
    }

    /** {@return number of weight elements} */
    public int weightSize() {
        return k * c * r * s;
    }

    /** {@return number of output elements} */
    public int outputSize() {
        return n * k * p() * q();
    }
}
