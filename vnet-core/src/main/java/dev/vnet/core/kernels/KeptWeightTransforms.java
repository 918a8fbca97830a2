package dev.vnet.core.kernels;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The Winograd transforms {@code U = G g Gᵀ} of weights that inference passes again and again unchanged, kept from
 * one call to the next ({@link GemmConvKernels#forwardInference}).
 *
 * <p>Why: the weight transform runs on every call otherwise, and on the narrow, deep layers it is a large share of the
 * call (256 → 256 channels at 16×16, batch 4, 1 thread: about 11 ms of a 38 ms forward), so large that below
 * {@link WinogradPlan#MIN_POSITIONS} output positions the shifted plans win. With the transform kept, the plan pays
 * from {@link WinogradPlan#MIN_POSITIONS_KEPT} positions.
 *
 * <p>How a kept transform stays right: an entry is keyed by the weight array itself (held weakly, so a model that is
 * dropped takes its entries with it) and holds a copy of the values it was made from. Every call compares the array
 * with that copy ({@link Arrays#equals(float[], float[])}, about a millisecond for 1.6 million floats) and makes a new
 * transform when anything changed, so after writes through {@code Tensor.data()}, an optimiser's step or a loaded
 * checkpoint the results are those of a fresh transform of the values the weights hold (the same bits as
 * {@link GemmConvKernels#forward} where it takes this plan too). A training step's forward on the same array drops its entry ({@link #drop}): the weights are about to
 * change, and the memory goes back before the step's activations need it.
 *
 * <p>Memory: per entry the transform (α² = 64 floats per 25 weights, off the heap) and the copy; the V-Net's 5×5
 * layers of 32 channels and more take about 121 MB. So nothing is kept unless asked: a process that only infers
 * (segment, serve, eval) sets a cap with {@link Kernels#keepWeightTransforms}, and the system property
 * {@value #PROPERTY} (megabytes) overrides it. A training process keeps none, so that validation between epochs does
 * not add to the step's peak memory. Past the cap a layer is transformed per call as before. Entries in use by
 * another thread are freed when it is done with them.
 */
final class KeptWeightTransforms {
    /** System property: the most memory kept transforms may take, in megabytes; {@code 0} keeps none. */
    static final String PROPERTY = "vnet.conv.winograd.keep-mb";
    /** The cap when the property is unset, in megabytes ({@link Kernels#keepWeightTransforms}). */
    static volatile long defaultCapMb;

    private static final List<Entry> ENTRIES = new ArrayList<>();
    private static long bytes;

    private KeptWeightTransforms() {}

    /** A transform in use: {@link #weights} stays valid until {@link #close}. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** {@return the transformed weights, {@code u[ξ, k, c]}} */
        FloatPointer weights() {
            return entry.u;
        }

        @Override
        public void close() {
            synchronized (ENTRIES) {
                entry.users--;
                freeIfUnused(entry);
            }
        }
    }

    private static final class Entry {
        final WeakReference<float[]> array;
        final float[] copy;
        final WinogradPlan.Algorithm f;
        final int k;
        final int c;
        final long size;
        FloatPointer u;
        int users;
        boolean dropped;

        Entry(float[] wt, WinogradPlan.Algorithm f, int k, int c, FloatPointer u) {
            this.array = new WeakReference<>(wt);
            this.copy = wt.clone();
            this.f = f;
            this.k = k;
            this.c = c;
            this.u = u;
            this.size = bytesOf(f, k, c);
        }
    }

    /**
     * {@return the kept transform of {@code wt} for {@code g} and {@code f}, made now if there is none or {@code wt}
     * changed since, or {@code null} when the cap leaves no room (the caller transforms per call)} Close the lease
     * when the products are done.
     */
    static Lease lease(ConvGeometry g, WinogradPlan.Algorithm f, float[] wt) {
        long cap = capBytes();
        Entry found = null;
        synchronized (ENTRIES) {
            expunge();
            for (Entry e : ENTRIES) {
                if (e.array.get() == wt) {
                    found = e;
                    break;
                }
            }
            if (found != null) {
                if (found.f == f && found.k == g.k() && found.c == g.c()) {
                    found.users++;
                } else {
                    remove(found);
                    found = null;
                }
            }
        }
        if (found != null) {
            if (Arrays.equals(found.copy, wt)) {
                return new Lease(found);
            }
            synchronized (ENTRIES) {
                found.users--;
                remove(found);
                freeIfUnused(found); // when another thread had removed it already
            }
        }
        long size = bytesOf(f, g.k(), g.c());
        synchronized (ENTRIES) {
            if (bytes + size > cap) {
                return null;
            }
            bytes += size;
        }
        FloatPointer u;
        try {
            u = new FloatPointer((long) f.alpha * f.alpha * g.k() * g.c());
            WinogradPlan.transformWeights(g, f, wt, u.asBuffer());
        } catch (RuntimeException | Error e) {
            synchronized (ENTRIES) {
                bytes -= size;
            }
            throw e;
        }
        Entry made = new Entry(wt, f, g.k(), g.c(), u);
        made.users = 1;
        synchronized (ENTRIES) {
            // another thread may have kept one for the same array meanwhile: one entry per array
            removeEntriesOf(wt);
            ENTRIES.add(made);
        }
        return new Lease(made);
    }

    /** Forgets the transform kept for {@code wt}, if any (its weights are about to change). */
    static void drop(float[] wt) {
        synchronized (ENTRIES) {
            removeEntriesOf(wt);
        }
    }

    /** {@return the bytes the kept transforms take now, copies included} */
    static long bytes() {
        synchronized (ENTRIES) {
            expunge();
            return bytes;
        }
    }

    /** Forgets every kept transform. */
    static void clear() {
        synchronized (ENTRIES) {
            for (Entry e : List.copyOf(ENTRIES)) {
                remove(e);
            }
        }
    }

    private static long bytesOf(WinogradPlan.Algorithm f, int k, int c) {
        return 4L * k * c * (f.alpha * f.alpha + 25);
    }

    private static long capBytes() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return defaultCapMb << 20;
        }
        value = value.trim();
        try {
            long mb = Long.parseLong(value);
            if (mb >= 0) {
                return mb << 20;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + PROPERTY + " is '" + value
                + "', expected a whole number of megabytes, 0 or more");
    }

    // the callers hold ENTRIES' lock from here on

    private static void expunge() {
        for (Iterator<Entry> it = ENTRIES.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.array.get() == null) {
                it.remove();
                retire(e);
            }
        }
    }

    private static void removeEntriesOf(float[] wt) {
        for (Iterator<Entry> it = ENTRIES.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.array.get() == wt) {
                it.remove();
                retire(e);
            }
        }
    }

    private static void remove(Entry e) {
        if (ENTRIES.remove(e)) {
            retire(e);
        }
    }

    private static void retire(Entry e) {
        e.dropped = true;
        bytes -= e.size;
        freeIfUnused(e);
    }

    private static void freeIfUnused(Entry e) {
        if (e.dropped && e.users == 0 && e.u != null) {
            e.u.deallocate();
            e.u = null;
        }
    }
}
