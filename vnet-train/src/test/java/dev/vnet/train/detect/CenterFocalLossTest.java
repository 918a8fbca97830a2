package dev.vnet.train.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vnet.core.loss.NonFiniteLossException;
import dev.vnet.core.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CenterFocalLossTest {

    private static double lossOf(float[] x, float[] y) {
        return CenterFocalLoss.CENTERNET.forward(Tensor.of(x, 1, 1, 6, 8), Tensor.of(y, 1, 1, 6, 8)).item();
    }

    @Test
    void valueIsCenterNetsFormula() {
        float[] y = HeatMapTarget.render(8, 6, List.of(new double[] {3, 2}), 1.5);
        float[] x = new float[48];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * r.nextGaussian());
        }
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            double p = 1 / (1 + Math.exp(-x[i]));
            expected += y[i] == 1f ? -Math.pow(1 - p, 2) * Math.log(p)
                    : -Math.pow(1 - y[i], 4) * p * p * Math.log(1 - p);
        }
        assertThat(lossOf(x, y)).isCloseTo(expected, within(1e-5 * Math.abs(expected)));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] y = HeatMapTarget.render(8, 6, List.of(new double[] {3, 2}, new double[] {6, 4}), 1.5);
        Random r = new Random(2);
        float[] x = new float[48];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        Tensor logits = Tensor.of(x.clone(), 1, 1, 6, 8).requiresGrad(true);
        CenterFocalLoss.CENTERNET.forward(logits, Tensor.of(y, 1, 1, 6, 8)).backward();
        float[] g = logits.grad();
        for (int i = 0; i < x.length; i++) {
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += 1e-2f;
            minus[i] -= 1e-2f;
            double numeric = (lossOf(plus, y) - lossOf(minus, y)) / 2e-2;
            assertThat((double) g[i]).as("pixel %d", i).isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
        }
    }

    @Test
    void refusesNonFiniteLogits() {
        float[] x = new float[48];
        x[5] = Float.NaN;
        assertThatThrownBy(() -> lossOf(x, new float[48])).isInstanceOf(NonFiniteLossException.class)
                .hasMessageContaining("logits contain NaN at index 5");
    }
}
