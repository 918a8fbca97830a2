package dev.vnet.ops;

/** OpenCV's {@code saturate_cast} to 8-bit samples. */
final class Saturate {

    private Saturate() {}

    /** OpenCV's {@code saturate_cast<uchar>(float)}: round half to even, then clamp to 0..255 (NaN gives 0). */
    static int toUint8(float v) {
        int r = (int) Math.rint(v);
        return r < 0 ? 0 : Math.min(r, 255);
    }
}
