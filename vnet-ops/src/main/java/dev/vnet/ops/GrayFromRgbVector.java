package dev.vnet.ops;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ColorConvert#rgbToGray} on the JDK's Vector API, as many groups of 4 pixels per step as an int vector has
 * lanes (8 with AVX2: 32 pixels, 96 bytes in, 32 out). The three source vectors are read as ints, 4 bytes each;
 * group {@code g} of 4 pixels is ints {@code 3g, 3g + 1, 3g + 2} ({@code R0 G0 B0 R1}, {@code G1 B1 R2 G2},
 * {@code B2 R3 G3 B3}, lowest byte first, as in {@link GrayFromRgb}). The ints {@code 3g + r} of all groups sit in
 * lanes of the three vectors that do not collide (for any vector length that is not a multiple of 3), so one blend
 * of the three and one int shuffle (a single instruction, {@code vpermd} with AVX2) gather them: 3 shuffles and 6
 * blends per step instead of a byte shuffle per channel and vector. The four gray values of a lane are then
 * computed in int lanes with {@link ColorConvert}'s arithmetic, {@code (9798 R + 19235 G + 3735 B + 2^14) >> 15},
 * and written as the 4 bytes of the lane.
 */
final class GrayFromRgbVector {
    // the preferred shapes only, as in the other vector filters (see ResizeHalfVector)
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Pixels per step: one int lane per 4 pixels. */
    private static final int PIXELS = 4 * I.length();
    /** Pixels per call of the loop (a multiple of PIXELS). */
    private static final int CHUNK = 32 * PIXELS;

    private static final int WR = 9798;
    private static final int WG = 19235;
    private static final int WB = 3735;
    private static final int HALF = 1 << 14;

    // In(m, r): the lanes of source vector m that hold an int 3g + r (static final fields: the JIT compiles a mask
    // or shuffle it knows as a constant)
    private static final VectorMask<Integer> IN1_0 = lanesOf(1, 0);
    private static final VectorMask<Integer> IN2_0 = lanesOf(2, 0);
    private static final VectorMask<Integer> IN1_1 = lanesOf(1, 1);
    private static final VectorMask<Integer> IN2_1 = lanesOf(2, 1);
    private static final VectorMask<Integer> IN1_2 = lanesOf(1, 2);
    private static final VectorMask<Integer> IN2_2 = lanesOf(2, 2);
    private static final VectorShuffle<Integer> GROUPS_0 = groups(0);
    private static final VectorShuffle<Integer> GROUPS_1 = groups(1);
    private static final VectorShuffle<Integer> GROUPS_2 = groups(2);

    private GrayFromRgbVector() {}

    /** {@return the fewest pixels a call handles} */
    static int minPixels() {
        return PIXELS;
    }

    private static VectorMask<Integer> lanesOf(int m, int r) {
        boolean[] in = new boolean[I.length()];
        for (int i = 0; i < in.length; i++) {
            in[i] = (I.length() * m + i) % 3 == r;
        }
        return VectorMask.fromArray(I, in, 0);
    }

    // lane g of the blend holding the ints 3g' + r: int 3g + r, at lane (3g + r) mod the vector length
    private static VectorShuffle<Integer> groups(int r) {
        return VectorShuffle.fromOp(I, g -> (3 * g + r) % I.length());
    }

    /**
     * Writes {@code d[dPixel, dPixel + pixels)}, the gray values of as many RGB pixels of {@code s} from pixel
     * {@code sPixel} on.
     *
     * @return false, writing nothing, for fewer pixels than one step's
     */
    static boolean convert(byte[] s, int sPixel, byte[] d, int dPixel, int pixels) {
        if (pixels < PIXELS) {
            return false;
        }
        for (int x = 0; x < pixels; x += CHUNK) {
            chunk(s, sPixel, d, dPixel, x, Math.min(x + CHUNK, pixels));
        }
        return true;
    }

    // pixels [x0, end) of the range, in steps of PIXELS, the last one overlapping the one before (back to the
    // range's start at most). A call per chunk rather than one for the whole range: the JIT compiles a method after
    // enough calls, while a single long loop in the interpreter, where every vector operation costs about a
    // microsecond, takes seconds to be replaced on the stack (the first conversion of a photograph took 0.9 s of
    // CPU time instead of 0.17)
    private static void chunk(byte[] s, int sPixel, byte[] d, int dPixel, int x0, int end) {
        int bytes = B.length(); // source bytes per vector
        for (int x = x0; x < end; x += PIXELS) {
            int p = Math.max(0, Math.min(x, end - PIXELS)); // the last step overlaps the one before
            int o = 3 * (sPixel + p);
            IntVector v0 = ByteVector.fromArray(B, s, o).reinterpretAsInts();
            IntVector v1 = ByteVector.fromArray(B, s, o + bytes).reinterpretAsInts();
            IntVector v2 = ByteVector.fromArray(B, s, o + 2 * bytes).reinterpretAsInts();
            IntVector a = v0.blend(v1, IN1_0).blend(v2, IN2_0).rearrange(GROUPS_0); // R0 G0 B0 R1
            IntVector b = v0.blend(v1, IN1_1).blend(v2, IN2_1).rearrange(GROUPS_1); // G1 B1 R2 G2
            IntVector c = v0.blend(v1, IN1_2).blend(v2, IN2_2).rearrange(GROUPS_2); // B2 R3 G3 B3
            // written out in full: helper methods called this often in one loop are not all inlined, and a vector
            // that is not inlined becomes an object (10x slower)
            IntVector g0 = a.and(0xFF).mul(WR)
                    .add(a.lanewise(VectorOperators.LSHR, 8).and(0xFF).mul(WG))
                    .add(a.lanewise(VectorOperators.LSHR, 16).and(0xFF).mul(WB))
                    .add(HALF).lanewise(VectorOperators.LSHR, 15);
            IntVector g1 = a.lanewise(VectorOperators.LSHR, 24).mul(WR)
                    .add(b.and(0xFF).mul(WG))
                    .add(b.lanewise(VectorOperators.LSHR, 8).and(0xFF).mul(WB))
                    .add(HALF).lanewise(VectorOperators.LSHR, 15);
            IntVector g2 = b.lanewise(VectorOperators.LSHR, 16).and(0xFF).mul(WR)
                    .add(b.lanewise(VectorOperators.LSHR, 24).mul(WG))
                    .add(c.and(0xFF).mul(WB))
                    .add(HALF).lanewise(VectorOperators.LSHR, 15);
            IntVector g3 = c.lanewise(VectorOperators.LSHR, 8).and(0xFF).mul(WR)
                    .add(c.lanewise(VectorOperators.LSHR, 16).and(0xFF).mul(WG))
                    .add(c.lanewise(VectorOperators.LSHR, 24).mul(WB))
                    .add(HALF).lanewise(VectorOperators.LSHR, 15);
            g0.or(g1.lanewise(VectorOperators.LSHL, 8)).or(g2.lanewise(VectorOperators.LSHL, 16))
                    .or(g3.lanewise(VectorOperators.LSHL, 24)).reinterpretAsBytes().intoArray(d, dPixel + p);
        }
    }
}
