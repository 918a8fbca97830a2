package dev.vnet.ops;

import java.util.Arrays;

/** {@link MedianBlur}'s reference: gather the window, sort it, take the middle. */
final class MedianSortNaive {
    private MedianSortNaive() {}

    /** {@return the median of every {@code ksize × ksize} window, gathered (edges replicated) and sorted} */
    static Image8 apply(Image8 src, int ksize) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int r = ksize / 2;
        Image8 dst = new Image8(w, h, cn);
        int[] window = new int[ksize * ksize];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < cn; c++) {
                    int n = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        int sy = Math.min(Math.max(y + dy, 0), h - 1);
                        for (int dx = -r; dx <= r; dx++) {
                            int sx = Math.min(Math.max(x + dx, 0), w - 1);
                            window[n++] = src.get(sx, sy, c);
                        }
                    }
                    Arrays.sort(window);
                    dst.set(x, y, c, window[window.length / 2]);
                }
            }
        }
        return dst;
    }
}
