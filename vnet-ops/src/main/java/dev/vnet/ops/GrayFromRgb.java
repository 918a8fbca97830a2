package dev.vnet.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@link ColorConvert#rgbToGray} four pixels at a time. Four RGB pixels are 12 bytes, three little-endian
 * ints {@code a = R0 G0 B0 R1}, {@code b = G1 B1 R2 G2}, {@code c = B2 R3 G3 B3} (lowest byte first); one
 * scalar pass copies them into three int arrays (the JIT has no vector instruction for a stride of 12 bytes),
 * after which every step is a same-index loop over int lanes that the JIT vectorises: each of the four gray
 * values of a lane is computed from its bytes by shifts and masks in its own loop (one loop computing all four
 * is too large to be vectorised) and or-ed into its byte of the output int, and the output ints are written
 * as 4 gray bytes each. The arithmetic is {@link ColorConvert}'s, {@code (9798 R + 19235 G + 3735 B + 2^14) >> 15}.
 */
final class GrayFromRgb {
    private GrayFromRgb() {}

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Pixels per chunk, a multiple of 4: the chunk's four int arrays (1 KB each) stay in the level-1 cache. */
    static final int CHUNK_PIXELS = 1024;

    private static final int R = 9798;
    private static final int G = 19235;
    private static final int B = 3735;
    private static final int HALF = 1 << 14;

    // d[from, to) = gray of the RGB pixels s[3 from, 3 to)
    static void convert(byte[] s, byte[] d, int from, int to) {
        convert(s, from, d, from, to - from);
    }

    // d[dPixel, dPixel + pixels) = gray of the RGB pixels from pixel sPixel of s
    static void convert(byte[] s, int sPixel, byte[] d, int dPixel, int pixels) {
        int lanes = CHUNK_PIXELS / 4;
        int[] a = new int[lanes];
        int[] b = new int[lanes];
        int[] c = new int[lanes];
        int[] top = new int[lanes];
        int[] out = new int[lanes];
        int p = 0;
        while (pixels - p >= 4) {
            int n = Math.min(lanes, (pixels - p) / 4); // lanes of this chunk, 4 pixels each
            gatherInts(s, 3 * (sPixel + p), a, b, c, n);
            grayBytes(a, b, c, top, out, n);
            writeInts(out, d, dPixel + p, n);
            p += 4 * n;
        }
        ColorConvert.rgbToGrayNaive(s, sPixel + p, d, dPixel + p, pixels - p);
    }

    // a[j], b[j], c[j] = the little-endian ints at s[base + 12j], s[base + 12j + 4], s[base + 12j + 8]
    private static void gatherInts(byte[] s, int base, int[] a, int[] b, int[] c, int n) {
        for (int j = 0, o = base; j < n; j++, o += 12) {
            a[j] = (int) INTS.get(s, o);
            b[j] = (int) INTS.get(s, o + 4);
            c[j] = (int) INTS.get(s, o + 8);
        }
    }

    // out[j] = the gray values of the 4 pixels in (a[j], b[j], c[j]), pixel i in byte i; top holds pixel 3 (the
    // JIT vectorises none of the one-loop forms of this that were tried, nor an or-assignment from one array)
    private static void grayBytes(int[] a, int[] b, int[] c, int[] top, int[] out, int n) {
        for (int j = 0; j < n; j++) {
            int x = a[j];
            out[j] = (R * (x & 0xFF) + G * ((x >>> 8) & 0xFF) + B * ((x >>> 16) & 0xFF) + HALF) >>> 15;
        }
        for (int j = 0; j < n; j++) {
            int z = c[j];
            top[j] = ((R * ((z >>> 8) & 0xFF) + G * ((z >>> 16) & 0xFF) + B * (z >>> 24) + HALF) >>> 15) << 24;
        }
        for (int j = 0; j < n; j++) {
            int y = b[j];
            out[j] |= (((R * (a[j] >>> 24) + G * (y & 0xFF) + B * ((y >>> 8) & 0xFF) + HALF) >>> 15) << 8) | top[j];
        }
        for (int j = 0; j < n; j++) {
            int y = b[j];
            out[j] |= ((R * ((y >>> 16) & 0xFF) + G * (y >>> 24) + B * (c[j] & 0xFF) + HALF) >>> 15) << 16;
        }
    }

    // d[p + 4j .. p + 4j + 3] = the bytes of out[j], lowest first
    private static void writeInts(int[] out, byte[] d, int p, int n) {
        for (int j = 0; j < n; j++) {
            INTS.set(d, p + 4 * j, out[j]);
        }
    }
}
