package dev.vnet.core.tensor;

import java.util.SplittableRandom;

/**
 * A seeded random source. Every random number in the engine (initialisation, dropout, shuffling)
 * comes from an {@code Rng}, so the same seed gives the same run, bit for bit.
 */
public final class Rng {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    /**
     * A random source from a seed.
     *
     * @param seed the seed
     */
    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** {@return an independent stream derived from this one (for a sub-task that must not shift this stream)} */
    public Rng split() {
        return new Rng(random.split());
    }

    /** {@return uniform in [0, 1)} */
    public float nextFloat() {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** {@return uniform in [0, 1)} */
    public double nextDouble() {
        return random.nextDouble();
    }

    /**
     * {@return uniform in [0, bound)}
     *
     * @param bound the exclusive upper bound, {@code > 0}
     */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** {@return a 64-bit value} */
    public long nextLong() {
        return random.nextLong();
    }

    /**
     * Standard normal (Marsaglia's polar method, which is exactly reproducible across JVMs).
     *
     * @return a standard normal value
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = random.nextDouble() * 2 - 1;
            v = random.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * m;
        hasSpare = true;
        return u * m;
    }
}
