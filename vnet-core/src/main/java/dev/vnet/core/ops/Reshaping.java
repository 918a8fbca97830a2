package dev.vnet.core.ops;

import dev.vnet.core.tensor.Shape;
import dev.vnet.core.tensor.BufferPool;
import dev.vnet.core.tensor.Tensor;

/**
 * Ops that move values between layouts: channel concatenation and repetition, zero padding and cropping of NCHW
 * tensors, and flattening to {@code [N, features]}.
 */
public final class Reshaping {
    private Reshaping() {}

    /**
     * Concatenates NCHW tensors along the channel dimension (V-Net's skip connections), like
     * {@code torch.cat(tensors, dim=1)}.
     *
     * @param ts tensors {@code [N, Ci, H, W]} with equal N, H and W
     * @return {@code [N, C1 + C2 + ..., H, W]}
     * @throws IllegalArgumentException if a tensor is not 4-D or its N, H, W differ from the first one's
     */
    // ts[i] [n, c_i, h, w] -> y [n, Σc_i, h, w]
    public static Tensor concatChannels(Tensor... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("concatChannels: needs at least one tensor");
        }
        Shape.requireRank("concatChannels", "input 0", ts[0], 4);
        int n = ts[0].dim(0), h = ts[0].dim(2), w = ts[0].dim(3);
        int channels = 0;
        for (int i = 0; i < ts.length; i++) {
            Tensor t = ts[i];
            Shape.requireRank("concatChannels", "input " + i, t, 4);
            if (t.dim(0) != n || t.dim(2) != h || t.dim(3) != w) {
                throw new IllegalArgumentException("concatChannels: input " + i + " has shape " + Shape.toString(t.shape())
                        + ", input 0 has " + Shape.toString(ts[0].shape()) + "; all but the channel size must match");
            }
            channels += t.dim(1);
        }
        int plane = h * w;
        int cTotal = channels;
        float[] y = BufferPool.output(n * cTotal * plane);
        int offset = 0;
        for (Tensor t : ts) {
            int block = t.dim(1) * plane;
            float[] x = t.data();
            for (int b = 0; b < n; b++) {
                System.arraycopy(x, b * block, y, (b * cTotal * plane) + offset, block);
            }
            offset += block;
        }
        Tensor[] inputs = ts.clone();
        return Tensor.result("concatChannels", Tensor.Reads.NEITHER, new int[] {n, cTotal, h, w}, y, out -> {
            float[] dy = out.grad();
            int off = 0;
            for (Tensor t : inputs) {
                int block = t.dim(1) * plane;
                float[] dx = t.gradBuffer();
                if (dx != null) {
                    for (int b = 0; b < n; b++) {
                        int src = b * cTotal * plane + off;
                        int dst = b * block;
                        for (int i = 0; i < block; i++) {
                            dx[dst + i] += dy[src + i];
                        }
                    }
                }
                off += block;
            }
        }, inputs);
    }

    /**
     * Repeats the channels {@code times} times, like {@code x.repeat(1, times, 1, 1)}: channel
     * {@code j} of the result is channel {@code j mod C} of {@code x} (V-Net's input transition).
     *
     * @param x     the input, {@code [N, C, H, W]}
     * @param times how many copies, at least 1
     * @return {@code [N, C·times, H, W]}
     */
    // x [n, c, h, w] -> y [n, c·times, h, w]
    public static Tensor repeatChannels(Tensor x, int times) {
        Shape.requireRank("repeatChannels", "x", x, 4);
        if (times < 1) {
            throw new IllegalArgumentException("repeatChannels: times must be >= 1, got " + times);
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int block = c * h * w;
        float[] v = x.data();
        float[] y = BufferPool.output(n * block * times);
        for (int b = 0; b < n; b++) {
            for (int t = 0; t < times; t++) {
                System.arraycopy(v, b * block, y, (b * times + t) * block, block);
            }
        }
        return Tensor.result("repeatChannels", Tensor.Reads.NEITHER, new int[] {n, c * times, h, w}, y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < times; t++) {
                    int src = (b * times + t) * block;
                    int dst = b * block;
                    for (int i = 0; i < block; i++) {
                        dx[dst + i] += dy[src + i];
                    }
                }
            }
        }, x);
    }

    /**
     * Pads the two spatial dimensions with zeros (for inputs whose size is not a multiple of the
     * network's total stride), like {@code F.pad(x, (left, right, top, bottom))}.
     *
     * @param x      the input, {@code [N, C, H, W]}
     * @param top    rows added above
     * @param bottom rows added below
     * @param left   columns added on the left
     * @param right  columns added on the right
     * @return {@code [N, C, top + H + bottom, left + W + right]}
     */
    // x [n, c, h, w] -> y [n, c, top+h+bottom, left+w+right]
    public static Tensor pad2d(Tensor x, int top, int bottom, int left, int right) {
        Shape.requireRank("pad2d", "x", x, 4);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("pad2d: padding must be >= 0, got top " + top + ", bottom " + bottom
                    + ", left " + left + ", right " + right);
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int ph = h + top + bottom, pw = w + left + right;
        float[] v = x.data();
        float[] y = BufferPool.output(n * c * ph * pw);
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(v, (plane * h + i) * w, y, (plane * ph + i + top) * pw + left, w);
            }
        }
        return Tensor.result("pad2d", Tensor.Reads.NEITHER, new int[] {n, c, ph, pw}, y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int plane = 0; plane < n * c; plane++) {
                for (int i = 0; i < h; i++) {
                    int src = (plane * ph + i + top) * pw + left;
                    int dst = (plane * h + i) * w;
                    for (int j = 0; j < w; j++) {
                        dx[dst + j] += dy[src + j];
                    }
                }
            }
        }, x);
    }

    /**
     * Keeps the {@code height × width} window whose top-left corner is at ({@code top}, {@code left}),
     * like {@code x[:, :, top:top+height, left:left+width]}: the inverse of {@link #pad2d}.
     *
     * @param x      the input, {@code [N, C, H, W]}
     * @param top    the first row kept
     * @param left   the first column kept
     * @param height rows kept
     * @param width  columns kept
     * @return {@code [N, C, height, width]}
     * @throws IllegalArgumentException if the window does not lie inside {@code x}
     */
    // x [n, c, h, w] -> y [n, c, height, width]
    public static Tensor crop2d(Tensor x, int top, int left, int height, int width) {
        Shape.requireRank("crop2d", "x", x, 4);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
            throw new IllegalArgumentException("crop2d: window at (" + top + ", " + left + ") of size " + height + "x"
                    + width + " does not fit inside x of shape " + Shape.toString(x.shape()));
        }
        float[] v = x.data();
        float[] y = BufferPool.output(n * c * height * width);
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < height; i++) {
                System.arraycopy(v, (plane * h + i + top) * w + left, y, (plane * height + i) * width, width);
            }
        }
        return Tensor.result("crop2d", Tensor.Reads.NEITHER, new int[] {n, c, height, width}, y, out -> {
            float[] dx = x.gradBuffer();
            if (dx == null) {
                return;
            }
            float[] dy = out.grad();
            for (int plane = 0; plane < n * c; plane++) {
                for (int i = 0; i < height; i++) {
                    int src = (plane * height + i) * width;
                    int dst = (plane * h + i + top) * w + left;
                    for (int j = 0; j < width; j++) {
                        dx[dst + j] += dy[src + j];
                    }
                }
            }
        }, x);
    }

    /**
     * Keeps the first dimension and joins the others, like {@code torch.flatten(x, 1)} ({@code nn.Flatten}): the step
     * from a convolutional trunk's {@code [N, C, H, W]} to a linear head's {@code [N, C·H·W]}. The values are shared,
     * not copied, and the gradient flows through.
     *
     * @param x the input, {@code [N, ...]} with at least two dimensions
     * @return {@code [N, product of the other dimensions]}
     */
    // x [n, d1, d2, ...] -> y [n, d1·d2·...]
    public static Tensor flatten(Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("flatten: x must have at least 2 dimensions ([N, ...]), got shape "
                    + Shape.toString(x.shape()));
        }
        return x.reshape(x.dim(0), x.size() / x.dim(0));
    }
}
