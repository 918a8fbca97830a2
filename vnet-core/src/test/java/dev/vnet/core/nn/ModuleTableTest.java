package dev.vnet.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.core.ops.Activations;
import dev.vnet.core.ops.Elementwise;
import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The describe table of any module tree: shapes through Sequentials, composites as one row and their layers. */
class ModuleTableTest {

    /** A residual block: its own forward, so its layers' shapes are not known to the table. */
    private static final class Block extends Module {
        final Conv2d conv;
        final BatchNorm2d bn;

        Block(int c, Rng rng) {
            conv = registerModule("conv", new Conv2d(c, c, 3, 1, 1, false, rng));
            bn = registerModule("bn", new BatchNorm2d(c));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Activations.relu(Elementwise.add(bn.forward(conv.forward(x)), x));
        }
    }

    private static Sequential classifier(Rng rng) {
        return new Sequential(new Sequential(new Conv2d(3, 8, 3, 1, 1, true, rng), new ReLU(), new MaxPool2d(2, 2, 0)),
                new Block(8, rng), new GlobalAvgPool2d(), new Dropout(0.3f, rng), new Linear(8, 2, true, rng));
    }

    @Test
    void rowsGiveShapesThroughSequentialsAndEveryParameterOnce() {
        Sequential net = classifier(new Rng(1));
        List<ModuleTable.Row> rows = ModuleTable.of(net, 1, 3, 16, 16);
        assertThat(rows).extracting(ModuleTable.Row::name)
                .containsExactly("0.0", "0.1", "0.2", "1", "1.conv", "1.bn", "2", "3", "4");
        assertThat(rows.get(2).type()).isEqualTo("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)");
        assertThat(rows.get(2).outputShape()).containsExactly(1, 8, 8, 8);
        assertThat(rows.get(3).type()).isEqualTo("Block");
        assertThat(rows.get(3).outputShape()).containsExactly(1, 8, 8, 8);
        assertThat(rows.get(4).outputShape()).isNull();
        assertThat(rows.get(4).parameters()).isEqualTo(8 * 8 * 9);
        assertThat(rows.get(8).outputShape()).containsExactly(1, 2);
        assertThat(rows.get(8).type()).isEqualTo("Linear(in_features=8, out_features=2, bias=True)");
        assertThat(rows.stream().mapToLong(ModuleTable.Row::parameters).sum()).isEqualTo(net.parameterCount());
    }

    @Test
    void describingChangesNeitherTheModeNorTheBatchNormStatistics() {
        Sequential net = classifier(new Rng(1));
        Block block = (Block) net.get(1);
        String table = ModuleTable.describe(net, 2, 3, 16, 16);
        assertThat(net.isTraining()).isTrue();
        assertThat(block.bn.numBatchesTracked()).isZero();
        assertThat(table).contains("layer").contains("[2, 8, 8, 8]").contains("[2, 2]")
                .contains(String.format(java.util.Locale.ROOT, "trainable parameters: %,d", net.parameterCount()))
                .contains("buffers (batch norm statistics): 17").contains("input [2, 3, 16, 16]");
        net.eval();
        ModuleTable.of(net, 1, 3, 8, 8);
        assertThat(net.isTraining()).isFalse();
    }
}
