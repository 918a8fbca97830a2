package dev.vnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vnet.train.bench.ConvShape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * JMH needs its parameter values as constants, while the shapes come from the V-Net's layout: these tests hold the
 * benchmarks' lists to {@link ConvShape#ALL}, so a change of the layout cannot leave a layer untimed.
 */
class ConvShapeParamsTest {

    private static List<String> params(Class<?> benchmark) throws NoSuchFieldException {
        return List.of(benchmark.getField("shape").getAnnotation(Param.class).value());
    }

    @Test
    void ourBenchmarkTimesEveryLayerShape() throws NoSuchFieldException {
        assertThat(params(ConvBenchmark.class)).containsExactlyElementsOf(ConvShape.ALL.keySet());
    }

    @Test
    void nd4jBenchmarkTimesEveryPlainConvolution() throws NoSuchFieldException {
        List<String> plain = ConvShape.ALL.values().stream().filter(s -> !s.transposed()).map(ConvShape::name).toList();
        assertThat(params(Nd4jConvBenchmark.class)).containsExactlyElementsOf(plain);
    }

    @Test
    void theShapesAreTheModelsFiveByFiveAndTwoByTwoLayers() {
        assertThat(ConvShape.ALL).containsKeys("conv5x5_1to16x256", "conv5x5_32to1x256", "down2x2_16x256", "up2x2_64x128")
                .doesNotContainKey("conv5x5_16x256");
        assertThat(ConvShape.ALL.values()).allSatisfy(s -> assertThat(s.geometry().n()).isEqualTo(ConvShape.BATCH));
    }
}
