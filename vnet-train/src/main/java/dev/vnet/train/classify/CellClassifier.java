package dev.vnet.train.classify;

import dev.vnet.core.nn.BatchNorm2d;
import dev.vnet.core.nn.Conv2d;
import dev.vnet.core.nn.GlobalAvgPool2d;
import dev.vnet.core.nn.Linear;
import dev.vnet.core.nn.Module;
import dev.vnet.core.nn.ModuleTable;
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
     * {@return every layer in the order data flows through it, named as in the state dict, with its output shape for
     * one crop of the configured input size (a block's own layers follow it, without shapes) and its own parameter
     * count} The shapes come from one forward pass on zeros in evaluation mode ({@link ModuleTable#of}).
     */
    public List<ModuleTable.Row> layers() {
        List<ModuleTable.Row> rows = new ArrayList<>();
        int[] shape = {1, 3, config.inputSize(), config.inputSize()};
        shape = addRows(rows, "conv1", stem, shape);
        shape = addRows(rows, "bn1", stemBn, shape);
        for (int i = 0; i < layers.size(); i++) {
            shape = addRows(rows, "layer" + (i + 1), layers.get(i), shape);
        }
        shape = addRows(rows, "pool", pool, shape);
        rows.add(new ModuleTable.Row("dropout", String.format(Locale.ROOT, "Dropout(p=%s)", dropout), shape, 0));
        addRows(rows, "fc", fc, shape);
        return rows;
    }

    /** Adds the rows of {@code m}, named under {@code name}, for an input of {@code in}; returns its output shape. */
    private static int[] addRows(List<ModuleTable.Row> rows, String name, Module m, int[] in) {
        int[] out = in;
        for (ModuleTable.Row r : ModuleTable.of(m, in)) {
            String type = m instanceof BatchNorm2d && r.name().equals(ModuleTable.ROOT) ? r.type() + " + ReLU"
                    : r.type();
            rows.add(new ModuleTable.Row(r.name().equals(ModuleTable.ROOT) ? name : name + "." + r.name(), type,
                    r.outputShape(), r.parameters()));
            out = r.outputShape() == null ? out : r.outputShape();
        }
        return out;
    }

    /**
     * {@return the table of {@link #layers()} as {@code vnet describe} prints the V-Net's ({@link ModuleTable#format}):
     * layer, type, output shape and parameters, then the totals}
     */
    public String describe() {
        return ModuleTable.format(layers(), this, this + ", input [1, 3, " + config.inputSize() + ", "
                + config.inputSize() + "]");
    }

    @Override
    public String toString() {
        return "CellClassifier(" + config.inputSize() + "x" + config.inputSize() + ", width " + config.baseWidth()
                + ", " + config.stages() + " stages of " + config.blocksPerStage() + ")";
    }
}
