package dev.vnet.ops;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The last step of {@link ResizeHalfRgb} on the JDK's Vector API: of the 2x2 means computed at every byte of the
 * source row (6 bytes per destination pixel), keep bytes {@code 6x .. 6x + 2}, as many pixels per step as a byte
 * vector has lanes (32 with AVX2: 192 bytes in, 96 out). Output byte {@code j} is input byte
 * {@code j + 3 floor(j / 3)}; each of the three output vectors is the blend of byte shuffles of the two or three
 * input vectors it reads (output 0 of inputs 0 and 1, output 1 of inputs 1 to 3, output 2 of 3 to 5, for any
 * vector length that is not a multiple of 3).
 */
final class ResizeHalfVector {
    // The preferred shapes, as in the other vector filters: code that runs two shapes of byte vectors through the
    // same Vector API methods leaves the JIT type profiles it cannot compile to vector instructions (medianBlur
    // k = 5 ran 2-50x slower after a loop on 128-bit byte vectors had run)
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Destination pixels per step: 6 input vectors of this many bytes, 3 output vectors. */
    private static final int PIXELS = B.length();

    // output vector k, input vector m (static final fields: the JIT compiles a shuffle or mask it knows)
    private static final VectorShuffle<Byte> K0M0 = shuffle(0, 0);
    private static final VectorShuffle<Byte> K0M1 = shuffle(0, 1);
    private static final VectorShuffle<Byte> K1M1 = shuffle(1, 1);
    private static final VectorShuffle<Byte> K1M2 = shuffle(1, 2);
    private static final VectorShuffle<Byte> K1M3 = shuffle(1, 3);
    private static final VectorShuffle<Byte> K2M3 = shuffle(2, 3);
    private static final VectorShuffle<Byte> K2M4 = shuffle(2, 4);
    private static final VectorShuffle<Byte> K2M5 = shuffle(2, 5);
    private static final VectorMask<Byte> IN_K0M1 = lanesFrom(0, 1);
    private static final VectorMask<Byte> IN_K1M2 = lanesFrom(1, 2);
    private static final VectorMask<Byte> IN_K1M3 = lanesFrom(1, 3);
    private static final VectorMask<Byte> IN_K2M4 = lanesFrom(2, 4);
    private static final VectorMask<Byte> IN_K2M5 = lanesFrom(2, 5);

    private ResizeHalfVector() {}

    /** {@return the fewest destination pixels a call handles} */
    static int minPixels() {
        return PIXELS;
    }

    private static int source(int k, int lane) {
        int j = PIXELS * k + lane;
        return j + 3 * (j / 3);
    }

    private static VectorShuffle<Byte> shuffle(int k, int m) {
        return VectorShuffle.fromOp(B, i -> source(k, i) / PIXELS == m ? source(k, i) % PIXELS : 0);
    }

    private static VectorMask<Byte> lanesFrom(int k, int m) {
        boolean[] in = new boolean[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            in[i] = source(k, i) / PIXELS == m;
        }
        return VectorMask.fromArray(B, in, 0);
    }

    /**
     * Writes {@code d[o, o + 3 pixels)} from {@code means} (the bytes of the ints, lowest first).
     *
     * @return false, writing nothing, for fewer pixels than one step's
     */
    static boolean keepPixelStarts(int[] means, byte[] d, int o, int pixels) {
        if (pixels < PIXELS) {
            return false;
        }
        for (int x = 0; x < pixels; x += PIXELS) {
            int p = Math.min(x, pixels - PIXELS); // the last step overlaps the one before
            int k = 6 * p / 4;
            int step = PIXELS / 4; // ints per input vector
            ByteVector m0 = IntVector.fromArray(I, means, k).reinterpretAsBytes();
            ByteVector m1 = IntVector.fromArray(I, means, k + step).reinterpretAsBytes();
            ByteVector m2 = IntVector.fromArray(I, means, k + 2 * step).reinterpretAsBytes();
            ByteVector m3 = IntVector.fromArray(I, means, k + 3 * step).reinterpretAsBytes();
            ByteVector m4 = IntVector.fromArray(I, means, k + 4 * step).reinterpretAsBytes();
            ByteVector m5 = IntVector.fromArray(I, means, k + 5 * step).reinterpretAsBytes();
            int out = o + 3 * p;
            m0.rearrange(K0M0).blend(m1.rearrange(K0M1), IN_K0M1).intoArray(d, out);
            m1.rearrange(K1M1).blend(m2.rearrange(K1M2), IN_K1M2).blend(m3.rearrange(K1M3), IN_K1M3)
                    .intoArray(d, out + PIXELS);
            m3.rearrange(K2M3).blend(m4.rearrange(K2M4), IN_K2M4).blend(m5.rearrange(K2M5), IN_K2M5)
                    .intoArray(d, out + 2 * PIXELS);
        }
        return true;
    }
}
