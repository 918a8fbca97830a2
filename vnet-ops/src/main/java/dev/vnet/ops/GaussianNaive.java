package dev.vnet.ops;

/** {@link GaussianBlur}'s reference: every output pixel as a direct 2-D sum. */
final class GaussianNaive {
    private GaussianNaive() {}

    /**
     * The same filter as {@link GaussianBlur#apply(Image8, int, int, double, double)} computed directly in 2-D (every output
     * pixel sums {@code ksizeX * ksizeY} products): slow, obviously correct, kept to check the fast path.
     */
    static Image8 apply(Image8 src, int ksizeX, int ksizeY, double sigmaX, double sigmaY) {
        if (sigmaY <= 0) {
            sigmaY = sigmaX;
        }
        if (src.height() == 1) {
            ksizeY = 1;
        }
        if (src.width() == 1) {
            ksizeX = 1;
        }
        if (ksizeX == 0) {
            ksizeX = GaussianBlur.ksizeFromSigma(sigmaX);
        }
        if (ksizeY == 0) {
            ksizeY = GaussianBlur.ksizeFromSigma(sigmaY);
        }
        int[] kx = GaussianBlur.fixedPointKernel(ksizeX, sigmaX);
        int[] ky = GaussianBlur.fixedPointKernel(ksizeY, sigmaY);
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        Image8 dst = new Image8(w, h, cn);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < cn; c++) {
                    long sum = 0;
                    for (int j = 0; j < ky.length; j++) {
                        int sy = Borders.reflect101(y + j - ky.length / 2, h);
                        for (int i = 0; i < kx.length; i++) {
                            int sx = Borders.reflect101(x + i - kx.length / 2, w);
                            sum += (long) ky[j] * kx[i] * src.get(sx, sy, c);
                        }
                    }
                    dst.set(x, y, c, (int) Math.min(255, (sum + (1 << 15)) >> 16));
                }
            }
        }
        return dst;
    }
}
