package dev.vnet.examples;

import dev.vnet.core.loss.DiceBceLoss;
import dev.vnet.core.loss.Loss;
import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.ReLU;
import dev.vnet.core.nn.Sequential;
import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Convolution;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.ops.Reductions;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.GradMode;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A short narrated tour of the engine under the V-Net, printed as it runs: tensors, the graph an op records,
 * {@code backward()}, the gradients checked against central finite differences, inference without a graph, and
 * a tiny conv + batch norm + ReLU model trained for a few Adam steps on toy images. The tour checks itself:
 * it stops with an exception if a gradient disagrees with its finite difference or the loss does not fall.
 *
 * <p>Usage: {@code AutogradTour} (no arguments; a second or two).
 */
public final class AutogradTour {
    private AutogradTour() {}

    /**
     * Runs the tour, printing to standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs the tour.
     *
     * @param out where the narration goes
     * @throws IllegalStateException if a gradient disagrees with its finite difference, or the toy model's loss
     *                               does not fall
     */
    public static void run(PrintStream out) {
        Rng rng = new Rng(1);

        out.println("1. Tensors: float32, row-major, images as [N, C, H, W].");
        Tensor x = Tensor.uniform(rng, 0f, 1f, 1, 1, 5, 5);
        Tensor w = Tensor.randn(rng, 0.5f, 1, 1, 3, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {0.1f}, 1).requiresGrad(true);
        Tensor target = Tensor.uniform(rng, 0f, 1f, 1, 1, 3, 3);
        out.println("   x      = " + x);
        out.println("   weight = " + w + "   (a leaf that requires a gradient)");
        out.println();

        out.println("2. Ops record a graph: loss = sum(sigmoid(conv2d(x, weight, bias)) · target).");
        Supplier<Tensor> loss = () -> Reductions.sum(Elementwise.mul(
                Activations.sigmoid(Convolution.conv2d(x, w, b, 1, 0)), target));
        Tensor l = loss.get();
        Map<Tensor, String> names = new IdentityHashMap<>(Map.of(x, "x", w, "weight", b, "bias", target, "target"));
        printGraph(out, l, names);
        out.printf(Locale.ROOT, "   loss = %.6f%n%n", l.item());

        out.println("3. backward() walks the graph from the loss back to the leaves and frees it.");
        l.backward();
        out.println("   d loss / d weight = " + format(w.grad()));
        out.println("   d loss / d bias   = " + format(b.grad()));
        out.println("   the loss's graph after backward: " + l.inputs() + " (freed; a second backward is an error)");
        out.println();

        out.println("4. Each gradient against a central finite difference (f(v + h) − f(v − h)) / 2h, h = 1e-2.");
        double worst = 0;
        for (Tensor leaf : new Tensor[] {w, b}) {
            float[] v = leaf.data();
            float[] analytic = leaf.grad().clone();
            for (int i = 0; i < v.length; i++) {
                float keep = v[i];
                double up;
                double down;
                try (var ignored = GradMode.noGrad()) {
                    v[i] = keep + 1e-2f;
                    up = loss.get().item();
                    v[i] = keep - 1e-2f;
                    down = loss.get().item();
                }
                v[i] = keep;
                double numeric = (up - down) / 2e-2;
                worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric)));
            }
        }
        out.printf(Locale.ROOT, "   largest relative difference over %d values: %.2e%n%n", w.size() + b.size(), worst);
        if (!(worst < 1e-2)) {
            throw new IllegalStateException("gradient check failed: relative difference " + worst + " >= 1e-2");
        }

        out.println("5. Inference: inside GradMode.noGrad() nothing is recorded and nothing is kept for a backward.");
        try (var ignored = GradMode.noGrad()) {
            Tensor y = loss.get();
            out.println("   loss computed again: op = " + y.op() + ", requiresGrad = " + y.requiresGrad());
        }
        out.println();

        out.println("6. Modules: conv 3×3 (1→4) + batch norm + ReLU + conv 1×1 (4→1), trained to find bright squares.");
        Sequential model = new Sequential(new Conv2d(1, 4, 3, 1, 1, true, rng), new BatchNorm2d(4), new ReLU(),
                new Conv2d(4, 1, 1, 1, 0, true, rng));
        out.println("   parameters: " + model.parameters().keySet() + " (" + model.parameterCount() + " values)");
        Tensor[] toy = toyImages(rng, 4, 16);
        Adam adam = new Adam(model.parameters(), 0.05);
        Loss diceBce = new DiceBceLoss();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 1; step <= 30; step++) {
            adam.zeroGrad();
            Tensor stepLoss = diceBce.forward(model.forward(toy[0]), toy[1]);
            stepLoss.backward();
            adam.step();
            last = stepLoss.item();
            if (step == 1) {
                first = last;
            }
            if (step == 1 || step % 10 == 0) {
                out.printf(Locale.ROOT, "   Adam step %2d: Dice + BCE = %.4f%n", step, last);
            }
        }
        out.printf(Locale.ROOT, "   loss fell from %.4f to %.4f%n", first, last);
        if (!(last < 0.7 * first)) {
            throw new IllegalStateException("the toy model did not learn: loss " + first + " -> " + last);
        }
    }

    /** The graph under {@code root}, one op per line, inputs indented under their op. */
    private static void printGraph(PrintStream out, Tensor root, Map<Tensor, String> names) {
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> depth = new ArrayDeque<>();
        stack.push(root);
        depth.push(0);
        while (!stack.isEmpty()) {
            Tensor t = stack.pop();
            int d = depth.pop();
            String what = t.op() != null ? t.op() + " " + Arrays.toString(t.shape())
                    : names.get(t) + " " + Arrays.toString(t.shape()) + (t.requiresGrad() ? ", a leaf that requires a gradient"
                    : ", a constant");
            out.println("   " + "  ".repeat(d) + what);
            for (int i = t.inputs().size() - 1; i >= 0; i--) {
                stack.push(t.inputs().get(i));
                depth.push(d + 1);
            }
        }
    }

    /** {@code n} noisy gray images {@code [n, 1, size, size]} with one bright square each, and their masks. */
    private static Tensor[] toyImages(Rng rng, int n, int size) {
        float[] img = new float[n * size * size];
        float[] mask = new float[img.length];
        for (int k = 0; k < n; k++) {
            int side = 4 + rng.nextInt(3);
            int top = rng.nextInt(size - side);
            int left = rng.nextInt(size - side);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = (k * size + y) * size + x;
                    boolean in = y >= top && y < top + side && x >= left && x < left + side;
                    mask[i] = in ? 1f : 0f;
                    img[i] = (in ? 0.8f : 0.2f) + 0.1f * (float) rng.nextGaussian();
                }
            }
        }
        return new Tensor[] {Tensor.wrap(img, n, 1, size, size), Tensor.wrap(mask, n, 1, size, size)};
    }

    private static String format(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return s.append("]").toString();
    }
}
