package dev.vnet.train.classify;

import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.GlobalAvgPool2d;
import dev.vnet.core.nn.Linear;
import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.Sequential;
import dev.vnet.core.ops.Dropout;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small residual network that tells a blast from another white cell in a single-cell crop: a 3×3 stem convolution
 * with batch norm and ReLU at the input's resolution, then {@code stages} stages of {@code blocksPerStage}
 * {@link ResidualBlock}s (the first block of every stage but the first halves the resolution and doubles the
 * channels), global average pooling, dropout and a linear head with two logits (normal, blast).
 *
 * <pre>
 * [n, 3, s, s] → stem [n, w, s, s] → layer1 [n, w, s, s] → layer2 [n, 2w, s/2, s/2] → layer3 [n, 4w, s/4, s/4]
 *              → pool [n, 4w] → dropout → fc [n, 2]
 * </pre>
 *
 * <p>The state dict uses torchvision's ResNet names ({@code conv1}, {@code bn1}, {@code layer1.0.conv1},
 * {@code layer2.0.downsample.0}, {@code fc}).
 */
public final class CellClassifier extends Module {
    /** Output classes: 0 normal white cell, 1 blast. */
    public static final int CLASSES = 2;

    private final ClassifierConfig config;
    private final Conv2d stem;
    private final BatchNorm2d stemBn;
    private final List<Module> layers = new ArrayList<>();
    private final GlobalAvgPool2d pool;
    private final float dropout;
    // Replaced at every epoch ({@link #reseedDropout}): a resumed run drops what an uninterrupted one would.
    private Rng dropoutRng;
    private final Linear fc;

    /**
     * A new network with random weights.
     *
     * @param config its width, depth, input size and dropout
     * @param seed   seed of the weights and the dropout masks
     */
    public CellClassifier(ClassifierConfig config, long seed) {
        this.config = config;
        Rng rng = new Rng(seed);
        int w = config.baseWidth();
        stem = registerModule("conv1", new Conv2d(3, w, 3, 1, 1, false, rng));
        stemBn = registerModule("bn1", new BatchNorm2d(w));
        int in = w;
        for (int s = 0; s < config.stages(); s++) {
            int out = w << s;
            List<Module> blocks = new ArrayList<>();
            for (int b = 0; b < config.blocksPerStage(); b++) {
                blocks.add(new ResidualBlock(b == 0 ? in : out, out, b == 0 && s > 0 ? 2 : 1, rng));
            }
            layers.add(registerModule("layer" + (s + 1), new Sequential(blocks.toArray(Module[]::new))));
            in = out;
        }
        pool = registerModule("pool", new GlobalAvgPool2d());
        dropout = (float) config.dropout();
        dropoutRng = rng.split();
        fc = registerModule("fc", new Linear(in, CLASSES, true, rng));
    }

    /** {@return the configuration the network was built from} */
    public ClassifierConfig config() {
        return config;
    }

    /**
     * {@return the logits {@code [n, 2]} (normal, blast)}
     *
     * @param x crops {@code [n, 3, s, s]}, values in [0, 1] as {@link CropTensors} makes them
     */
    @Override
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new IllegalArgumentException("the cell classifier takes RGB crops [n, 3, h, w], got "
                    + java.util.Arrays.toString(shape));
        }
        Tensor y = stemBn.forwardRelu(stem.forward(x));
        for (Module layer : layers) {
            y = layer.forward(y);
        }
        Tensor pooled = pool.forward(y);
        return fc.forward(isTraining() && dropout > 0 ? Dropout.dropout(pooled, dropout, dropoutRng) : pooled);
    }

    /**
     * Starts the dropout masks from {@code seed}: a trainer calls it at the start of every epoch with a seed of the
     * run and the epoch, so that the masks of an epoch do not depend on the epochs before it.
     *
     * @param seed the seed
     */
    public void reseedDropout(long seed) {
        dropoutRng = new Rng(seed);
    }

    /**
     * {@return one line per stage with its output shape and parameter count, and the total}
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        int s = config.inputSize();
        int w = config.baseWidth();
        sb.append(String.format(Locale.ROOT, "%-8s %-18s %10s%n", "layer", "output", "parameters"));
        sb.append(row("stem", w, s, stem.parameterCount() + stemBn.parameterCount()));
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                s = (s + 1) / 2;
            }
            sb.append(row("layer" + (i + 1), w << i, s, layers.get(i).parameterCount()));
        }
        sb.append(String.format(Locale.ROOT, "%-8s %-18s %10d%n", "fc", "[" + CLASSES + "]", fc.parameterCount()));
        sb.append(String.format(Locale.ROOT, "%-8s %-18s %10d%n", "total", "", parameterCount()));
        return sb.toString();
    }

    private static String row(String name, int channels, int side, long params) {
        return String.format(Locale.ROOT, "%-8s %-18s %10d%n", name, "[" + channels + ", " + side + ", " + side + "]",
                params);
    }

    @Override
    public String toString() {
        return "CellClassifier(" + config.inputSize() + "x" + config.inputSize() + ", width " + config.baseWidth()
                + ", " + config.stages() + " stages of " + config.blocksPerStage() + ")";
    }
}
