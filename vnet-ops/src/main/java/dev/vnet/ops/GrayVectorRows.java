package dev.vnet.ops;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ColorConvert#rgbToGray} on the JDK's Vector API, 16 pixels per step: the 48 bytes of 16 RGB pixels are
 * three byte vectors, and a shuffle of each and two blends pick each channel's 32 bytes out of them. The arithmetic is
 * {@code (9798 R + 19235 G + 3735 B + 2^14) >> 15} in 16-bit lanes: each weight is {@code 256 wh + wl}, so
 * {@code H = 38 R + 75 G + 14 B} (at most 32385) and {@code L = 70 R + 35 G + 151 B} (at most 65280, unsigned)
 * fit, and the result is {@code (H + (L >> 8) + 64) >> 7}. The last step of a range overlaps the one before;
 * ranges of fewer than 16 pixels go pixel by pixel.
 */
final class GrayVectorRows {
    // 16 pixels per step: one step's code with 32 (two 16-bit halves) is too large for the JIT to inline it all
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final int PIXELS = 16;

    // Channel c of pixel i is byte 3i + c of the 48, that is byte 3i + c - 16k of vector k: the channel is the
    // blend of one shuffle of each vector (a shuffle of two vectors at once is not compiled to vector instructions
    // by Java 17's JIT, one of a single vector is). Static final fields, not arrays: the JIT takes only those as
    // constants, and a shuffle or mask it does not know at compile time is not turned into vector instructions.
    private static final VectorShuffle<Byte> R0 = shuffle(0, 0);
    private static final VectorShuffle<Byte> R1 = shuffle(0, 1);
    private static final VectorShuffle<Byte> R2 = shuffle(0, 2);
    private static final VectorShuffle<Byte> G0 = shuffle(1, 0);
    private static final VectorShuffle<Byte> G1 = shuffle(1, 1);
    private static final VectorShuffle<Byte> G2 = shuffle(1, 2);
    private static final VectorShuffle<Byte> B0 = shuffle(2, 0);
    private static final VectorShuffle<Byte> B1 = shuffle(2, 1);
    private static final VectorShuffle<Byte> B2 = shuffle(2, 2);
    private static final VectorMask<Byte> R_IN1 = lanesIn(0, 1);
    private static final VectorMask<Byte> R_IN2 = lanesIn(0, 2);
    private static final VectorMask<Byte> G_IN1 = lanesIn(1, 1);
    private static final VectorMask<Byte> G_IN2 = lanesIn(1, 2);
    private static final VectorMask<Byte> B_IN1 = lanesIn(2, 1);
    private static final VectorMask<Byte> B_IN2 = lanesIn(2, 2);

    // lane i = byte 3i + c - 16k of vector k where that is one of its bytes (else any byte)
    private static VectorShuffle<Byte> shuffle(int c, int k) {
        return VectorShuffle.fromOp(B, i -> lanesIn(c, k, i) ? 3 * i + c - PIXELS * k : 0);
    }

    private static VectorMask<Byte> lanesIn(int c, int k) {
        boolean[] in = new boolean[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            in[i] = lanesIn(c, k, i);
        }
        return VectorMask.fromArray(B, in, 0);
    }

    private static boolean lanesIn(int c, int k, int i) {
        return 3 * i + c >= PIXELS * k && 3 * i + c < PIXELS * (k + 1);
    }

    private GrayVectorRows() {}

    // d[from, to) = gray of the RGB pixels s[3 from, 3 to)
    static void convert(byte[] s, byte[] d, int from, int to) {
        if (to - from < PIXELS) {
            ColorConvert.rgbToGrayNaive(s, d, from, to);
            return;
        }
        for (int i = from; i < to; i += PIXELS) {
            int p = Math.min(i, to - PIXELS);
            ByteVector v0 = ByteVector.fromArray(B, s, 3 * p);
            ByteVector v1 = ByteVector.fromArray(B, s, 3 * p + PIXELS);
            ByteVector v2 = ByteVector.fromArray(B, s, 3 * p + 2 * PIXELS);
            ByteVector r = v0.rearrange(R0).blend(v1.rearrange(R1), R_IN1).blend(v2.rearrange(R2), R_IN2);
            ByteVector g = v0.rearrange(G0).blend(v1.rearrange(G1), G_IN1).blend(v2.rearrange(G2), G_IN2);
            ByteVector b = v0.rearrange(B0).blend(v1.rearrange(B1), B_IN1).blend(v2.rearrange(B2), B_IN2);
            ShortVector rs = widen(r);
            ShortVector gs = widen(g);
            ShortVector bs = widen(b);
            ShortVector hi = rs.mul((short) 38).add(gs.mul((short) 75)).add(bs.mul((short) 14));
            ShortVector lo = rs.mul((short) 70).add(gs.mul((short) 35)).add(bs.mul((short) 151));
            ShortVector y = hi.add(lo.lanewise(VectorOperators.LSHR, 8)).add((short) 64)
                    .lanewise(VectorOperators.LSHR, 7);
            ((ByteVector) y.convertShape(VectorOperators.S2B, B, 0)).intoArray(d, p);
        }
    }

    private static ShortVector widen(ByteVector v) {
        return ((ShortVector) v.convertShape(VectorOperators.B2S, S, 0)).and((short) 0xFF);
    }
}
