package dev.vnet.core.nn.vnet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tolerance at which the V-Net's outputs and gradients equal another implementation's (PyTorch, ONNX Runtime):
 * float32 sums in another order, through ~30 layers.
 */
public final class ParityAssertions {
    private ParityAssertions() {}

    /**
     * Asserts |got − want| ≤ 1e-4 · max(|want|, 1e-3) elementwise.
     *
     * @param what named in the failure, with the worst error and where it is
     * @param got  this engine's values
     * @param want the reference values
     */
    public static void assertClose(String what, float[] got, float[] want) {
        assertThat(got).as(what).hasSize(want.length);
        double scale = 1e-3;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst / scale).as(what + ": worst error " + worst + " at " + at + " (scale " + scale + ")")
                .isLessThanOrEqualTo(1e-4);
    }
}
