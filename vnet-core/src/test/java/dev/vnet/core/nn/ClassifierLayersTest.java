package dev.vnet.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.TorchFixtures;
import dev.vnet.core.loss.CrossEntropyLoss;
import dev.vnet.core.ops.Pooling;
import dev.vnet.core.optim.Adam;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The modules of a classifier: a tree of them loaded with PyTorch's state_dict gives PyTorch's logits, loss and
 * gradients; their names, printed form and initialisation are PyTorch's; and a small net learns a few vectors.
 */
class ClassifierLayersTest {

    /** The layout of {@code classifier()} in {@code tools/fixtures/torch_classifier.py}. */
    private static Sequential net(Rng rng) {
        return new Sequential(new Conv2d(3, 4, 3, 1, 1, true, rng), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2, 2, 0),
                new Conv2d(4, 6, 3, 1, 1, true, rng), new AvgPool2d(3, 2, 1), new GlobalAvgPool2d(), new Flatten(),
                new Dropout(0.5f, rng), new Linear(6, 3, true, rng));
    }

    @Test
    void aTreeOfTheLayersMatchesPyTorchByStateDictName() {
        TorchFixtures ref = TorchFixtures.load("classifier");
        Sequential m = net(new Rng(1));
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (String k : ref.keys()) {
            if (k.startsWith("init.")) {
                init.put(k.substring(5), ref.get(k));
            }
        }
        assertThat(m.stateDict().keySet()).containsExactlyElementsOf(init.keySet());
        m.loadStateDict(init);
        m.eval();
        Tensor x = ref.leaf("x");
        Tensor y = m.forward(x);
        Tensor loss = new CrossEntropyLoss(ref.get("w").data(), 0.1f).forward(y, ref.ints("t"));
        loss.backward();
        ref.assertClose("y", y);
        ref.assertClose("loss", loss);
        ref.assertClose("dx", x.grad());
        for (var e : m.parameters().entrySet()) {
            ref.assertClose("grad." + e.getKey(), e.getValue().grad());
        }
    }

    @Test
    void printedLikePyTorch() {
        assertThat(new Linear(64, 2, true, new Rng(1))).hasToString("Linear(in_features=64, out_features=2, bias=True)");
        assertThat(new Linear(8, 3, false, new Rng(1))).hasToString("Linear(in_features=8, out_features=3, bias=False)");
        assertThat(new MaxPool2d(2, 2, 0)).hasToString("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
        assertThat(new AvgPool2d(3, 2, 1)).hasToString("AvgPool2d(kernel_size=3, stride=2, padding=1)");
        assertThat(new Flatten()).hasToString("Flatten(start_dim=1, end_dim=-1)");
        assertThat(new GlobalAvgPool2d()).hasToString("GlobalAvgPool2d()");
        assertThat(new Dropout(0.25f, new Rng(1))).hasToString("Dropout(p=0.25)");
        assertThat(net(new Rng(1)).toString()).contains("\n  (9): Linear(in_features=6, out_features=3, bias=True)");
    }

    /** A composite with named children and its own forward, as a classifier is built. */
    private static final class Head extends Module {
        final Linear fc;

        Head(Rng rng) {
            registerModule("pool", new GlobalAvgPool2d());
            registerModule("drop", new Dropout(0.2f, rng));
            fc = registerModule("fc", new Linear(4, 2, true, rng));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc.forward(Pooling.globalAvgPool2d(x));
        }
    }

    @Test
    void treesPrintAndNameTheirModulesLikePyTorch() {
        Sequential net = new Sequential(new MaxPool2d(2, 2, 0), new Head(new Rng(1)));
        assertThat(net).hasToString("Sequential(\n"
                + "  (0): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                + "  (1): Head(\n"
                + "    (pool): GlobalAvgPool2d()\n"
                + "    (drop): Dropout(p=0.2)\n"
                + "    (fc): Linear(in_features=4, out_features=2, bias=True)\n"
                + "  )\n"
                + ")");
        assertThat(new Sequential()).hasToString("Sequential()");
        assertThat(net.modules().keySet()).containsExactly("", "0", "1", "1.pool", "1.drop", "1.fc");
        assertThat(net.modules().get("1.fc")).isSameAs(((Head) net.get(1)).fc);
        assertThat(net.stateDict().keySet()).containsExactly("1.fc.weight", "1.fc.bias");
        assertThat(net.parameterCount()).isEqualTo(4 * 2 + 2);
        assertThat(net.forward(Tensor.zeros(3, 4, 6, 6)).shape()).containsExactly(3, 2);
    }

    @Test
    void linearStartsUniformWithinOneOverRootFanIn() {
        Linear fc = new Linear(40, 300, true, new Rng(3));
        assertThat(fc.parameters().keySet()).containsExactly("weight", "bias");
        assertThat(fc.weight().shape()).containsExactly(300, 40);
        assertThat(fc.bias().shape()).containsExactly(300);
        assertThat(fc.parameterCount()).isEqualTo(40 * 300 + 300);
        float bound = (float) (1 / Math.sqrt(40));
        for (float[] values : new float[][] {fc.weight().data(), fc.bias().data()}) {
            double sumSquares = 0;
            float largest = 0;
            for (float v : values) {
                largest = Math.max(largest, Math.abs(v));
                sumSquares += v * v;
            }
            assertThat(largest).isLessThanOrEqualTo(bound).isGreaterThan(0.95f * bound);
            // U(−b, b) has variance b²/3.
            assertThat(sumSquares / values.length).isCloseTo(bound * bound / 3.0, org.assertj.core.data.Percentage.withPercentage(
                    values.length > 1000 ? 4 : 25));
        }
        assertThat(java.util.Arrays.equals(new Linear(40, 300, true, new Rng(3)).weight().data(), fc.weight().data())).isTrue();
        assertThat(new Linear(4, 2, false, new Rng(3)).bias()).isNull();
        Tensor w = Init.kaimingUniform(new Rng(4), 0, 50, 20, 3, 3);
        float reluBound = (float) Math.sqrt(6.0 / (20 * 9));
        float largest = 0;
        for (float v : w.data()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertThat(largest).isLessThanOrEqualTo(reluBound).isGreaterThan(0.95f * reluBound);
        assertThatThrownBy(() -> new Linear(0, 2, true, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in 0");
        assertThatThrownBy(() -> new MaxPool2d(2, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MaxPool2d").hasMessageContaining("padding 3");
        assertThatThrownBy(() -> new Dropout(2f, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dropout").hasMessageContaining("2.0");
    }

    @Test
    void dropoutIsTheIdentityInEvalMode() {
        Sequential s = new Sequential(new Flatten(), new Dropout(0.5f, new Rng(2)));
        Tensor x = Tensor.full(1f, 4, 2, 3, 3);
        assertThat(s.forward(x).data()).contains(0f);
        s.eval();
        assertThat(s.forward(x).data()).containsOnly(1f);
    }

    @Test
    void poolingAndLinearLearnAFewVectorsPerfectly() {
        // Six random 2×4×4 inputs in three classes, fitted through max pooling, flattening and two linear layers.
        Rng rng = new Rng(11);
        int n = 6;
        Tensor x = Tensor.randn(rng, 1f, n, 2, 4, 4);
        int[] targets = {0, 1, 2, 0, 1, 2};
        Sequential m = new Sequential(new MaxPool2d(2, 2, 0), new Flatten(), new Linear(8, 16, true, rng), new ReLU(),
                new Dropout(0.1f, rng), new Linear(16, 3, true, rng));
        CrossEntropyLoss loss = new CrossEntropyLoss(new float[] {1f, 2f, 1f}, 0f);
        Adam adam = new Adam(m.parameters(), 0.05);
        for (int step = 0; step < 300; step++) {
            m.zeroGrad();
            loss.forward(m.forward(x), targets).backward();
            adam.step();
        }
        m.eval();
        Tensor y = m.forward(x);
        float[] logits = y.data();
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = logits[i * 3 + c] > logits[i * 3 + best] ? c : best;
            }
            assertThat(best).as("class of vector %d", i).isEqualTo(targets[i]);
        }
        assertThat(loss.forward(y, targets).item()).isLessThan(0.05f);
    }
}
