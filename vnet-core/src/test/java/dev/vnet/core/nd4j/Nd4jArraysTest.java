package dev.vnet.core.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.tensor.Rng;
import dev.vnet.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Nd4jArraysTest {
    private static Tensor random(int... shape) {
        return Tensor.randn(new Rng(3), 1f, shape);
    }

    @Test
    void aTensorBecomesAnArrayWithTheSameElementAtEveryIndexAndNoSharedMemory() {
        Tensor t = random(2, 3, 4, 5);
        INDArray a = Nd4jArrays.toINDArray(t);
        assertThat(a.shape()).containsExactly(2, 3, 4, 5);
        assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(a.ordering()).isEqualTo('c');
        float[] v = t.data();
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 5; x++) {
                        assertThat(a.getFloat(n, c, y, x)).isEqualTo(v[((n * 3 + c) * 4 + y) * 5 + x]);
                    }
                }
            }
        }
        float before = a.getFloat(1, 2, 3, 4);
        v[v.length - 1] += 1;
        assertThat(a.getFloat(1, 2, 3, 4)).as("a copy").isEqualTo(before);
        assertThat(Nd4jArrays.toINDArray(Tensor.scalar(2.5f)).getFloat(0)).isEqualTo(2.5f);
    }

    @Test
    void anArrayBecomesATensorAndBackUnchanged() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 6);
        Tensor t = Nd4jArrays.toTensor(a);
        assertThat(t.shape()).containsExactly(2, 3, 8, 6);
        assertThat(t.requiresGrad()).isFalse();
        assertThat(Nd4jArrays.toINDArray(t)).isEqualTo(a);
        a.putScalar(new long[] {0, 0, 0, 0}, 42f);
        assertThat(t.data()[0]).as("a copy").isNotEqualTo(42f);
    }

    @Test
    void viewsFortranOrderAndOtherTypesGiveTheElementsTheyShow() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 2, 4, 6, 6);
        INDArray view = base.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 5),
                NDArrayIndex.all());
        assertThat(view.isView()).isTrue();
        assertThat(Nd4jArrays.toINDArray(Nd4jArrays.toTensor(view))).isEqualTo(view);

        INDArray fortran = base.dup('f');
        Tensor tf = Nd4jArrays.toTensor(fortran);
        assertThat(tf.data()).containsExactly(base.data().asFloat());

        INDArray doubles = base.castTo(DataType.DOUBLE);
        assertThat(Nd4jArrays.toTensor(doubles).data()).containsExactly(base.data().asFloat());
        // a channels-last batch is refused with a hint, before anything is copied
        assertThatThrownBy(() -> Nd4jArrays.imagesToTensor(Nd4j.zeros(DataType.FLOAT, 1, 16, 16, 3), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 16, 16, 3]")
                .hasMessageContaining("channels last");
        assertThat(Nd4jArrays.imagesToTensor(base, 4).shape()).containsExactly(2, 4, 6, 6);
    }
}
