package dev.vnet.core.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reuses the large arrays of a training step from one step to the next, so that a step allocates almost nothing
 * once the first has run.
 *
 * <p>Why: a V-Net step at 256², batch 4, computes about 470 MB of activations and as much again of their gradients.
 * Allocated afresh, that is a gigabyte of garbage per step, and the collector answers such a rate by growing the heap
 * well past what is ever live at once. Yet every array of a step dies at a point the engine knows:
 * {@link Tensor#backward()} walks the graph from the loss back to the leaves, and once a node's own backward has run,
 * every consumer of the node has run before it, so nothing reads the node's output or its gradient again. At that
 * point the pool takes both back, and the next op asking for an array of that length gets one of them (zeroed, as a
 * new array would be). The arrays of a step are all of a few lengths that repeat from step to step, so the pool
 * stays at what one step needs at its peak.
 *
 * <p>The pool works for the thread that {@linkplain #use() uses} it, inside that scope only:
 * <pre>{@code
 * try (var ignored = pool.use()) {
 *     Tensor out = model.forward(x);
 *     out.keepData();                 // read after backward(): not recycled
 *     loss.forward(out, y).backward();
 * }
 * }</pre>
 * The contract that makes it safe: inside a pool's scope, the values of an intermediate tensor (not a leaf, not an
 * input) are valid until {@code backward()} has passed it; a tensor read afterwards is marked with
 * {@link Tensor#keepData()} first. {@link Tensor#reshape} and {@link Tensor#detach()} share their array and mark it so
 * themselves. Leaves, inputs, gradients of leaves, and arrays shorter than {@link #MIN_LENGTH} never come from the
 * pool. {@link dev.vnet.core.optim.Optimizer} state and parameters are leaves. Outside a scope every array is new, as
 * before.
 *
 * <p>Inference records no graph, so nothing gives arrays back by itself there; code that knows a tensor is no longer
 * read calls {@link Tensor#release()} on it. {@link dev.vnet.core.nn.Sequential} does so for each layer's output once
 * the next layer has read it, and the V-Net's blocks for their intermediate tensors, so a pass through a V-Net inside
 * a pool reuses a few arrays instead of allocating all its activations (the point detector keeps one pool per thread
 * from pass to pass). Inside such a scope, a tensor handed to {@code VNet.forward}'s stage-output callback is valid
 * only during the call.
 */
public final class BufferPool {
    /** Arrays shorter than this (64 KiB of floats) are allocated as usual: reusing them would save nothing. */
    public static final int MIN_LENGTH = 1 << 14;

    private static final ThreadLocal<BufferPool> ACTIVE = new ThreadLocal<>();

    // Free arrays by length, and the arrays handed out in this scope but not yet claimed by a tensor.
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final Set<float[]> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private long freeBytes;
    private long outBytes;
    private long peakOutBytes;
    private long reused;
    private long allocated;

    /** An empty pool. */
    public BufferPool() {}

    /** Ends a pool's scope on the thread that began it. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Makes this pool the calling thread's until the returned scope is closed (then the previous one, if any, is
     * restored). Arrays handed out in the scope and never claimed by a tensor are forgotten at its end.
     *
     * @return the scope to close
     */
    public Scope use() {
        BufferPool previous = ACTIVE.get();
        ACTIVE.set(this);
        return () -> {
            lent.clear();
            if (previous == null) {
                ACTIVE.remove();
            } else {
                ACTIVE.set(previous);
            }
        };
    }

    /**
     * {@return a zeroed array of {@code length} floats for an op's output} It comes from the calling thread's pool when
     * one is in use and the array is long enough, else it is new.
     *
     * @param length the number of floats
     */
    public static float[] output(int length) {
        BufferPool pool = activeFor(length);
        return pool == null ? new float[length] : pool.take(length, true);
    }

    /** {@return the calling thread's pool, or null outside every scope} */
    static BufferPool active() {
        return ACTIVE.get();
    }

    /** {@return the calling thread's pool if an array of {@code length} floats is worth taking from it, else null} */
    static BufferPool activeFor(int length) {
        return length >= MIN_LENGTH ? ACTIVE.get() : null;
    }

    float[] take(int length, boolean lend) {
        ArrayDeque<float[]> list = free.get(length);
        float[] a = list == null ? null : list.poll();
        if (a == null) {
            a = new float[length];
            allocated++;
        } else {
            freeBytes -= 4L * length;
            reused++;
            Arrays.fill(a, 0f);
        }
        if (lend) {
            lent.add(a);
        }
        outBytes += 4L * length;
        peakOutBytes = Math.max(peakOutBytes, outBytes);
        return a;
    }

    /**
     * {@return whether {@code data} was handed out by this pool and not yet claimed} A tensor that claims an array
     * gives it back when {@code backward()} frees it.
     */
    boolean claim(float[] data) {
        return lent.remove(data);
    }

    void give(float[] a) {
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        freeBytes += 4L * a.length;
        outBytes -= 4L * a.length;
    }

    /** {@return the most bytes of this pool's arrays in use at once} */
    public long peakBytesInUse() {
        return peakOutBytes;
    }

    /** {@return the bytes held in free arrays, waiting for the next step} */
    public long freeBytes() {
        return freeBytes;
    }

    /** {@return how many arrays the pool handed out again instead of allocating} */
    public long reused() {
        return reused;
    }

    /** {@return how many arrays the pool had to allocate} */
    public long allocated() {
        return allocated;
    }

    /** Drops every free array (the memory goes back to the collector). */
    public void clear() {
        free.clear();
        freeBytes = 0;
    }
}
