package dev.vnet.ops;

/** {@link Resize.Interpolation#NEAREST}: each destination pixel copies one source pixel. */
final class ResizeNearest {
    private ResizeNearest() {}

    // src: sh x sw x cn, dst: dh x dw x cn; dst(x, y) = src(min(floor(x / fx), sw - 1), min(floor(y / fy), sh - 1)).
    static void apply(Image8 src, Image8 dst, double fx, double fy) {
        int sw = src.width();
        int sh = src.height();
        int cn = src.channels();
        int dw = dst.width();
        double ifx = 1.0 / fx;
        double ify = 1.0 / fy;
        int[] xofs = new int[dw];
        for (int x = 0; x < dw; x++) {
            xofs[x] = Math.min((int) Math.floor(x * ifx), sw - 1) * cn;
        }
        byte[] s = src.data();
        byte[] d = dst.data();
        RowBands.run(dst.height(), (long) dw * cn, (from, to) -> {
            for (int y = from; y < to; y++) {
                int sy = Math.min((int) Math.floor(y * ify), sh - 1);
                int srow = sy * sw * cn;
                int drow = y * dw * cn;
                if (cn == 1) {
                    for (int x = 0; x < dw; x++) {
                        d[drow + x] = s[srow + xofs[x]];
                    }
                } else {
                    for (int x = 0, o = drow; x < dw; x++, o += 3) {
                        int i = srow + xofs[x];
                        d[o] = s[i];
                        d[o + 1] = s[i + 1];
                        d[o + 2] = s[i + 2];
                    }
                }
            }
        });
    }
}
