package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelsTest {

    @Test
    void defaultsToBlasAndCanBeSwapped() {
        ConvKernels before = Kernels.conv();
        assertThat(before).isSameAs(GemmConvKernels.instance());
        try {
            Kernels.setConv(NaiveConvKernels.INSTANCE);
            assertThat(Kernels.conv()).isSameAs(NaiveConvKernels.INSTANCE);
        } finally {
            Kernels.setConv(before);
        }
        assertThatThrownBy(() -> Kernels.setConv(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
