package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** {@link Resize.Interpolation#NEAREST}: each destination pixel copies one source pixel. */
final class ResizeNearest {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
        // the pixels copied as ints: all but the last of a row (its int would reach into the next row or past the
        // array) and those of the last source column (past the array in the last row); xofs does not decrease
        int prefix = 0;
        while (prefix < dw - 1 && xofs[prefix] < (sw - 1) * cn) {
            prefix++;
        }
        int ints = prefix;
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
                    // one int read and written per pixel, its fourth byte overwritten by the next pixel
                    for (int x = 0, o = drow; x < ints; x++, o += 3) {
                        INTS.set(d, o, (int) INTS.get(s, srow + xofs[x]));
                    }
                    for (int x = ints, o = drow + 3 * ints; x < dw; x++, o += 3) {
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
