package dev.vnet.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vnet.core.TorchFixtures;
import dev.vnet.core.nn.Parameter;
import dev.vnet.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Adam and SGD: three steps against torch.optim, and an exact resume from exported state. */
class OptimizerTest {
    private static final TorchFixtures REF = TorchFixtures.load("optim");
    private static final String[] NAMES = {"a.weight", "b.bias"};

    private static final Map<String, Function<Map<String, Parameter>, Optimizer>> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("adam", ps -> new Adam(ps, 1e-2));
        CONFIGS.put("adamwd", ps -> new Adam(ps, 0.05, 0.8, 0.99, 1e-6, 0.1));
        CONFIGS.put("sgd", ps -> new Sgd(ps, 0.1, 0.9));
        CONFIGS.put("sgdnesterov", ps -> new Sgd(ps, 0.1, 0.9, 0, 0.01, true));
        CONFIGS.put("sgddamp", ps -> new Sgd(ps, 0.1, 0.5, 0.1, 0, false));
        CONFIGS.put("sgdplain", ps -> new Sgd(ps, 0.1, 0));
    }

    @Test
    void threeStepsMatchTorchOptim() {
        for (var config : CONFIGS.entrySet()) {
            String tag = config.getKey();
            Map<String, Parameter> params = freshParams();
            Optimizer opt = config.getValue().apply(params);
            for (int step = 0; step < 3; step++) {
                setGrads(params, step);
                opt.step();
                for (String k : NAMES) {
                    String key = tag + ".step" + step + "." + k;
                    REF.assertClose(key, params.get(k).value());
                    // The update itself, which is ~1e-2 of the values, must match to the same relative error.
                    TorchFixtures.assertClose(key + " (update)", minus(params.get(k).data(), REF.get("init." + k).data()),
                            minus(REF.get(key).data(), REF.get("init." + k).data()), TorchFixtures.RTOL);
                }
            }
            Map<String, Tensor> state = opt.stateDict();
            int expectedSlots = 0;
            for (String key : REF.keys()) {
                if (key.startsWith(tag + ".state.")) {
                    String ours = key.substring((tag + ".state.").length());
                    assertThat(state).as(tag).containsKey(ours);
                    REF.assertClose(key, state.get(ours));
                    expectedSlots++;
                }
            }
            assertThat(state).as(tag + " state keys").hasSize(expectedSlots);
        }
    }

    @Test
    void exportedStateResumesBitForBit() {
        for (var config : CONFIGS.entrySet()) {
            Map<String, Parameter> straight = freshParams();
            Optimizer a = config.getValue().apply(straight);
            for (int step = 0; step < 3; step++) {
                setGrads(straight, step);
                a.step();
            }

            Map<String, Parameter> first = freshParams();
            Optimizer b = config.getValue().apply(first);
            setGrads(first, 0);
            b.step();
            Map<String, Tensor> savedParams = new LinkedHashMap<>();
            first.forEach((k, p) -> savedParams.put(k, Tensor.of(p.data(), p.shape())));
            Map<String, Tensor> savedState = b.stateDict();

            Map<String, Parameter> resumed = new LinkedHashMap<>();
            savedParams.forEach((k, t) -> resumed.put(k, new Parameter(Tensor.of(t.data(), t.shape()))));
            Optimizer c = config.getValue().apply(resumed);
            c.loadStateDict(savedState);
            for (int step = 1; step < 3; step++) {
                setGrads(resumed, step);
                c.step();
            }
            for (String k : NAMES) {
                assertThat(resumed.get(k).data()).as(config.getKey() + " " + k).containsExactly(straight.get(k).data());
            }
        }
    }

    @Test
    void learningRateIsSettableAndStateKeysAreChecked() {
        Map<String, Parameter> params = freshParams();
        Adam adam = new Adam(params, 1e-3);
        adam.setLr(5e-4);
        assertThat(adam.lr()).isEqualTo(5e-4);
        assertThatThrownBy(() -> adam.setLr(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        setGrads(params, 0);
        adam.step();
        assertThat(adam.stateDict().keySet()).containsExactly("a.weight.step", "a.weight.exp_avg", "a.weight.exp_avg_sq",
                "b.bias.step", "b.bias.exp_avg", "b.bias.exp_avg_sq");
        Map<String, Tensor> bad = new LinkedHashMap<>(adam.stateDict());
        bad.put("c.weight.exp_avg", Tensor.zeros(2));
        bad.put("a.weight.exp_avg_sq", Tensor.zeros(2));
        assertThatThrownBy(() -> adam.loadStateDict(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected 'c.weight.exp_avg'")
                .hasMessageContaining("'a.weight.exp_avg_sq' has shape [2], expected [3, 4]");
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        Map<String, Parameter> params = freshParams();
        Sgd sgd = new Sgd(params, 0.1, 0.9);
        params.get("a.weight").value().accumulateGrad(REF.get("grad0.a.weight").data());
        float[] before = params.get("b.bias").data().clone();
        sgd.step();
        assertThat(params.get("b.bias").data()).containsExactly(before);
        assertThat(sgd.stateDict()).containsOnlyKeys("a.weight.momentum_buffer");
    }

    private static Map<String, Parameter> freshParams() {
        Map<String, Parameter> ps = new LinkedHashMap<>();
        for (String k : NAMES) {
            ps.put(k, new Parameter(REF.get("init." + k)));
        }
        return ps;
    }

    private static void setGrads(Map<String, Parameter> params, int step) {
        for (String k : NAMES) {
            params.get(k).value().zeroGrad();
            params.get(k).value().accumulateGrad(REF.get("grad" + step + "." + k).data());
        }
    }

    private static float[] minus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) ((double) a[i] - b[i]);
        }
        return out;
    }
}
