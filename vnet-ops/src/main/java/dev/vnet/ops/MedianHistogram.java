package dev.vnet.ops;

import java.util.Arrays;

/** {@link MedianBlur} for ksize 7 and more: Huang's sliding histogram. */
final class MedianHistogram {
    private MedianHistogram() {}

    // For each output row and channel, a 256-bin histogram of the window slides along x: one column of k
    // samples leaves, one enters. `med` is kept with `below` = number of window samples < med, and moved until
    // below <= rank < below + hist[med], rank = k*k/2.
    static Image8 apply(Image8 src, int k) {
        int w = src.width();
        int h = src.height();
        int cn = src.channels();
        int rowLen = w * cn;
        byte[] s = src.data();
        Image8 dst = new Image8(w, h, cn);
        byte[] d = dst.data();
        RowBands.run(h, rowLen, (from, to) -> {
            int[] hist = new int[256];
            int[] rowStart = new int[k];
            for (int y = from; y < to; y++) {
                histogramRow(s, d, y, w, h, cn, k, hist, rowStart);
            }
        });
        return dst;
    }

    private static void histogramRow(byte[] s, byte[] d, int y, int w, int h, int cn, int k, int[] hist,
                                     int[] rowStart) {
        int r = k / 2;
        int rank = (k * k) / 2;
        int rowLen = w * cn;
        for (int j = 0; j < k; j++) {
            rowStart[j] = Math.min(Math.max(y + j - r, 0), h - 1) * rowLen;
        }
        for (int c = 0; c < cn; c++) {
            Arrays.fill(hist, 0);
            for (int dx = -r; dx <= r; dx++) {
                int sx = Math.min(Math.max(dx, 0), w - 1) * cn + c;
                for (int j = 0; j < k; j++) {
                    hist[s[rowStart[j] + sx] & 0xFF]++;
                }
            }
            int med = 0;
            int below = 0;
            while (below + hist[med] <= rank) {
                below += hist[med];
                med++;
            }
            int drow = y * rowLen + c;
            d[drow] = (byte) med;
            for (int x = 1; x < w; x++) {
                int out = Math.max(x - r - 1, 0) * cn + c;
                int in = Math.min(x + r, w - 1) * cn + c;
                for (int j = 0; j < k; j++) {
                    int vo = s[rowStart[j] + out] & 0xFF;
                    int vi = s[rowStart[j] + in] & 0xFF;
                    hist[vo]--;
                    hist[vi]++;
                    below += ((vi - med) >>> 31) - ((vo - med) >>> 31); // (vi < med) - (vo < med)
                }
                while (below > rank) {
                    med--;
                    below -= hist[med];
                }
                while (below + hist[med] <= rank) {
                    below += hist[med];
                    med++;
                }
                d[drow + x * cn] = (byte) med;
            }
        }
    }
}
