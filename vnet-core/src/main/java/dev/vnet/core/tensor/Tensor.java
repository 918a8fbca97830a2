package dev.vnet.core.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A float32 N-dimensional array stored contiguously in row-major order (NCHW for images),
 * with an optional gradient and the record of how it was computed.
 *
 * <p>Autograd in one paragraph: an op that produces a tensor from inputs that require a gradient
 * (and while {@link GradMode} is enabled) records its inputs and a closure that, given the
 * gradient of the output, adds the gradients of the inputs. {@link #backward()} orders the graph
 * topologically and runs those closures from the output back to the leaves, freeing each node (its
 * closure, inputs and gradient) as soon as its closure has run, so activations are released during the
 * pass and memory does not grow from step to step. Leaves ({@link dev.vnet.core.nn.Parameter}s and
 * inputs created with {@code requiresGrad}) accumulate their gradient until it is zeroed.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;
    private float[] grad;
    private boolean requiresGrad;
    // The pool that lent this tensor's data or gradient and takes it back when backward() frees the node; null for
    // arrays of its own (see BufferPool).
    private BufferPool dataPool;
    private BufferPool gradPool;

    // Graph record: empty for leaves and for results computed without a graph.
    private String op;
    private Tensor[] inputs;
    private Backward backwardFn;
    private Reads reads;

    /**
     * Which values an op's backward closure reads besides the output's gradient. An array that no closure of a
     * backward pass reads goes back to its {@link BufferPool} before the pass begins, so the gradients it allocates
     * can reuse it.
     */
    public enum Reads {
        /** The inputs' values and the output's (the safe default). */
        INPUTS_AND_OUTPUT(true, true),
        /** The inputs' values only (a convolution: its input for the weight gradient). */
        INPUTS(true, false),
        /** The output's values only (a ReLU: its sign). */
        OUTPUT(false, true),
        /** Neither (a sum, a concatenation, a copy: the gradient alone decides). */
        NEITHER(false, false);

        private final boolean inputs;
        private final boolean output;

        Reads(boolean inputs, boolean output) {
            this.inputs = inputs;
            this.output = output;
        }
    }

    /** The backward half of an op: reads {@code out.grad()} and adds into its inputs' gradients. */
    @FunctionalInterface
    public interface Backward {
        /** @param out the op's output, whose gradient is set */
        void apply(Tensor out);
    }

    private Tensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * {@return a new tensor of zeros}
     *
     * @param shape the dimensions
     */
    public static Tensor zeros(int... shape) {
        int[] s = Shape.check("zeros", shape);
        return new Tensor(s, new float[Shape.size(s)]);
    }

    /**
     * {@return a tensor filled with {@code value}}
     *
     * @param value the value of every element
     * @param shape the dimensions
     */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /**
     * {@return a scalar (shape {@code []})}
     *
     * @param value its value
     */
    public static Tensor scalar(float value) {
        return new Tensor(new int[0], new float[] {value});
    }

    /**
     * Wraps {@code data} without copying; later writes to the array are seen by the tensor.
     *
     * @param data  the values, row-major
     * @param shape the dimensions
     * @return the tensor
     * @throws IllegalArgumentException if the array's length is not the product of the shape
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shape.check("wrap", shape);
        if (data.length != Shape.size(s)) {
            throw new IllegalArgumentException("wrap: data has " + data.length + " elements but shape "
                    + Shape.toString(s) + " needs " + Shape.size(s));
        }
        return new Tensor(s, data);
    }

    /**
     * {@return a copy of {@code data} in a tensor of the given shape}
     *
     * @param data  the values, row-major
     * @param shape the dimensions
     */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /**
     * {@return values drawn from N(0, std²) with the given random source}
     *
     * @param rng   the random source
     * @param std   the standard deviation
     * @param shape the dimensions
     */
    public static Tensor randn(Rng rng, float std, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (rng.nextGaussian() * std);
        }
        return t;
    }

    /**
     * {@return values drawn uniformly from [lo, hi) with the given random source}
     *
     * @param rng   the random source
     * @param lo    the lower bound (inclusive)
     * @param hi    the upper bound (exclusive)
     * @param shape the dimensions
     */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return t;
    }

    // ---------------------------------------------------------------- autograd

    /**
     * Creates an op's result. When grad mode is on and any input requires a gradient, the result
     * records the op and its backward closure; otherwise it is a plain tensor with no graph.
     *
     * @param op       the op's name, used in error messages and {@link #toString()}
     * @param shape    the result's shape
     * @param data     the result's values (owned by the result from now on)
     * @param backward adds the inputs' gradients given the result's gradient
     * @param inputs   the op's tensor inputs
     * @return the result
     */
    public static Tensor result(String op, int[] shape, float[] data, Backward backward, Tensor... inputs) {
        return result(op, Reads.INPUTS_AND_OUTPUT, shape, data, backward, inputs);
    }

    /**
     * {@link #result(String, int[], float[], Backward, Tensor...)} of an op whose backward reads only what
     * {@code reads} says.
     *
     * @param op       the op's name, for messages and graph dumps
     * @param reads    the values the backward closure reads besides the output's gradient
     * @param shape    the output's dimensions
     * @param data     the output's values (now owned by the result)
     * @param backward the closure that adds the inputs' gradients
     * @param inputs   the op's inputs, in order (null entries allowed)
     * @return the output tensor
     */
    public static Tensor result(String op, Reads reads, int[] shape, float[] data, Backward backward,
                                Tensor... inputs) {
        Tensor out = new Tensor(shape, data);
        BufferPool pool = BufferPool.active();
        if (pool != null && pool.claim(data)) {
            out.dataPool = pool;
        }
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    out.requiresGrad = true;
                    out.op = op;
                    out.inputs = inputs;
                    out.backwardFn = backward;
                    out.reads = reads;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Marks this leaf as needing a gradient (for inputs and parameters). Returns {@code this}.
     *
     * @param value whether a gradient is needed
     * @return {@code this}
     */
    public Tensor requiresGrad(boolean value) {
        if (backwardFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on the result of '" + op
                    + "': only leaves can stop requiring a gradient; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    /** {@return whether a gradient is computed for this tensor} */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** {@return a tensor sharing this one's values but with no graph and no gradient} */
    public Tensor detach() {
        keepData();
        return new Tensor(shape, data);
    }

    /**
     * Back-propagates from this scalar: its gradient is taken as 1.
     *
     * @throws IllegalStateException if this tensor is not a scalar or records no graph
     */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward() needs a scalar, got shape " + Shape.toString(shape)
                    + "; call backward(gradient) with a gradient of the same shape");
        }
        backward(new float[] {1f});
    }

    /**
     * Back-propagates from this tensor given the gradient of the final result with respect to it.
     * The graph is freed afterwards: calling it twice on the same result is an error.
     *
     * @param seed the gradient with respect to this tensor, of its size
     */
    public void backward(float[] seed) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that records no graph"
                    + (op == null ? "" : " (op '" + op + "')")
                    + ": it was computed in inference mode, from tensors that need no gradient,"
                    + " or its graph was already freed by an earlier backward()");
        }
        if (backwardFn == null && op != null) {
            throw new IllegalStateException("backward() twice through '" + op + "': the graph was freed");
        }
        if (seed.length != data.length) {
            throw new IllegalArgumentException("backward: gradient has " + seed.length
                    + " elements, tensor " + Shape.toString(shape) + " has " + data.length);
        }
        List<Tensor> order = topologicalOrder();
        releaseUnread(order);
        accumulateGrad(seed);
        // In reverse topological order every consumer of t has run before t, so once t's own backward has run
        // nothing reads its gradient again: the graph is freed as it is walked. Dropping t's closure and inputs
        // (and the list's reference to t) lets the collector reclaim activations no pending closure needs, so the
        // memory of a backward pass shrinks as it goes, as in PyTorch.
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.set(i, null);
            if (t.backwardFn != null && t.grad != null) {
                t.backwardFn.apply(t);
            }
            if (t.backwardFn != null) {
                t.backwardFn = null;
                t.inputs = null;
                t.reads = null;
                t.requiresGrad = false;
                t.recycle();
            }
        }
    }

    // The values of a pooled node that no closure of the pass reads (a convolution's output, read by nobody once the
    // batch norm after it keeps its own input; the halves of a concatenation) go back to the pool now, before the
    // pass allocates its first gradient: the pass's peak is then lower by all of them.
    private static void releaseUnread(List<Tensor> order) {
        Set<Tensor> read = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Tensor t : order) {
            if (t.backwardFn == null) {
                continue;
            }
            if (t.reads.output) {
                read.add(t);
            }
            if (t.reads.inputs) {
                for (Tensor in : t.inputs) {
                    if (in != null) {
                        read.add(in);
                    }
                }
            }
        }
        for (Tensor t : order) {
            if (t.backwardFn != null && !read.contains(t)) {
                t.giveDataBack();
            }
        }
    }

    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        // Iterative post-order DFS: V-Net graphs are deep enough to make recursion risky.
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(this);
        next.push(0);
        seen.add(this);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = next.pop();
            Tensor[] ins = t.backwardFn == null ? null : t.inputs;
            if (ins != null && i < ins.length) {
                next.push(i + 1);
                Tensor in = ins[i];
                if (in != null && in.requiresGrad && seen.add(in)) {
                    stack.push(in);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /**
     * Adds {@code g} into this tensor's gradient, allocating it on first use.
     *
     * @param g a gradient of this tensor's size
     */
    public void accumulateGrad(float[] g) {
        if (g.length != data.length) {
            throw new IllegalArgumentException("gradient of '" + (op == null ? "leaf" : op) + "' has "
                    + g.length + " elements, tensor " + Shape.toString(shape) + " has " + data.length);
        }
        if (grad == null) {
            System.arraycopy(g, 0, newGrad(), 0, g.length);
            return;
        }
        for (int i = 0; i < g.length; i++) {
            grad[i] += g[i];
        }
    }

    /**
     * {@return this tensor's gradient buffer for an op's backward to add into, allocated (zeroed) on first use;
     * {@code null} if this tensor does not require a gradient, so ops can skip the work}
     */
    public float[] gradBuffer() {
        if (!requiresGrad) {
            return null;
        }
        if (grad == null) {
            newGrad();
        }
        return grad;
    }

    // A zeroed gradient; an intermediate's comes from the thread's pool, if any (a leaf's outlives the step).
    private float[] newGrad() {
        BufferPool pool = backwardFn != null ? BufferPool.activeFor(data.length) : null;
        grad = pool == null ? new float[data.length] : pool.take(data.length, false);
        gradPool = pool;
        return grad;
    }

    // Called once backward() has run this node's closure: its consumers have all run before it, so nothing reads its
    // gradient again, nor its values unless they were kept.
    private void recycle() {
        if (gradPool != null) {
            gradPool.give(grad);
            gradPool = null;
        }
        grad = null;
        giveDataBack();
    }

    // Returns the values' array to the pool that lent it, if any; the tensor no longer owns it.
    private void giveDataBack() {
        if (dataPool != null) {
            dataPool.give(data);
            dataPool = null;
        }
    }

    /**
     * Gives this tensor's array back to the {@link BufferPool} that lent it, now, in inference: for code that knows
     * nothing reads the tensor again, such as a layer's output once the next layer has read it. Nothing happens while
     * gradients are recorded ({@link #backward()} gives arrays back then), nor for an array a pool did not lend or
     * that was {@linkplain #keepData() kept}.
     */
    public void release() {
        if (!GradMode.isEnabled()) {
            giveDataBack();
        }
    }

    /**
     * Keeps this tensor's values from being reused by a {@link BufferPool} once {@link #backward()} has passed it: for
     * an output read after the backward pass, such as the logits of a training step. Without a pool it changes nothing.
     *
     * @return this tensor
     */
    public Tensor keepData() {
        dataPool = null;
        return this;
    }

    /** {@return the gradient, or {@code null} if none has been computed} Not a copy. */
    public float[] grad() {
        return grad;
    }

    /** Forgets the gradient (the next backward starts from zero). */
    public void zeroGrad() {
        grad = null;
        gradPool = null;
    }

    // ---------------------------------------------------------------- data

    /** {@return the values, row-major} Not a copy: writes change the tensor. */
    public float[] data() {
        return data;
    }

    /** {@return the shape} A copy. */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * {@return the size of dimension {@code d} (negative counts from the end)}
     *
     * @param d the dimension, 0-based; negative counts from the end
     */
    public int dim(int d) {
        return shape[d < 0 ? shape.length + d : d];
    }

    /** {@return the number of dimensions} */
    public int rank() {
        return shape.length;
    }

    /** {@return the number of elements} */
    public int size() {
        return data.length;
    }

    /** {@return the single value of a one-element tensor} */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs one element, tensor has shape " + Shape.toString(shape));
        }
        return data[0];
    }

    /** {@return the op that produced this tensor, or {@code null} for a leaf or a result with no graph} */
    public String op() {
        return op;
    }

    /**
     * {@return the inputs this result keeps for its backward: empty for a leaf, for a result computed without a
     * graph, and after {@link #backward()} has freed the graph}
     */
    public List<Tensor> inputs() {
        if (backwardFn == null || inputs == null) {
            return List.of();
        }
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t != null) {
                out.add(t);
            }
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /**
     * {@return a view of the same values with another shape of the same size; gradients flow through}
     *
     * @param newShape the new dimensions, with the same number of elements
     */
    public Tensor reshape(int... newShape) {
        int[] s = Shape.check("reshape", newShape);
        if (Shape.size(s) != data.length) {
            throw new IllegalArgumentException("reshape: cannot view " + Shape.toString(shape) + " as "
                    + Shape.toString(s));
        }
        keepData();
        return result("reshape", Reads.NEITHER, s, data, out -> {
            float[] g = gradBuffer();
            if (g != null) {
                float[] go = out.grad;
                for (int i = 0; i < go.length; i++) {
                    g[i] += go[i];
                }
            }
        }, this);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Tensor").append(Shape.toString(shape));
        if (op != null) {
            b.append(" op=").append(op);
        }
        if (requiresGrad) {
            b.append(" requiresGrad");
        }
        b.append(" [");
        for (int i = 0; i < Math.min(6, data.length); i++) {
            b.append(i > 0 ? ", " : "").append(data[i]);
        }
        return b.append(data.length > 6 ? ", ...]" : "]").toString();
    }
}
