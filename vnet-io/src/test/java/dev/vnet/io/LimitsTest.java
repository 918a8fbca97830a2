package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void threadsAreBoundedByASmallMultipleOfTheProcessors() {
        assertThat(Limits.threads("--threads", 1, 2)).isEqualTo(1);
        assertThat(Limits.threads("--threads", 8, 2)).isEqualTo(8);
        assertThatThrownBy(() -> Limits.threads("--threads", 9, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--threads must be 1 to 8 (4 per processor; this machine has 2), got 9");
        assertThatThrownBy(() -> Limits.threads("--threads", 100000, 2)).hasMessageEndingWith("got 100000");
        assertThatThrownBy(() -> Limits.threads("threads", 0, 2)).hasMessageStartingWith("threads must be 1 to 8");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(Limits.threads("--threads", 4L * cpus)).isEqualTo(4 * cpus);
        assertThatThrownBy(() -> Limits.threads("--threads", 4L * cpus + 1)).hasMessageContaining("has " + cpus);
    }

    @Test
    void rangesAndKernelsAreCheckedIn64Bits() {
        assertThat(Limits.range("--batch", 64, 1, 1024)).isEqualTo(64);
        // 2^32 + 5 would pass an int cast as 5.
        assertThatThrownBy(() -> Limits.range("--batch", (1L << 32) + 5, 1, 1024))
                .hasMessage("--batch must be 1 to 1024, got 4294967301");
        assertThat(Limits.oddKernel("--median", 0, 255, true)).isZero();
        assertThat(Limits.oddKernel("--median", 255, 255, true)).isEqualTo(255);
        assertThatThrownBy(() -> Limits.oddKernel("--median", 0, 255, false))
                .hasMessage("--median must be odd, 1 to 255, got 0");
        assertThatThrownBy(() -> Limits.oddKernel("--median", 4, 255, true))
                .hasMessage("--median must be 0 (off) or odd, 1 to 255, got 4");
        assertThatThrownBy(() -> Limits.oddKernel("k", Integer.MAX_VALUE, 255, true)).hasMessageEndingWith("got 2147483647");
    }

    @Test
    void cropsAndRadiiAreBoundedByTheImage() {
        assertThat(Limits.crop("--crop", 50, 2592, 1944)).isEqualTo(50);
        assertThatThrownBy(() -> Limits.crop("--crop", Integer.MAX_VALUE, 2592, 1944))
                .hasMessage("--crop must be 1 to 1944 pixels (the shorter side of a 2592×1944 image), got 2147483647");
        assertThat(Limits.radius("--radius", 3240, 2592, 1944)).isEqualTo(3240);
        assertThatThrownBy(() -> Limits.radius("--radius", 3241, 2592, 1944))
                .hasMessageStartingWith("--radius must be 1 to 3240 pixels (the diagonal of a 2592×1944 image)");
        assertThatThrownBy(() -> Limits.radius("--radius", 0, 10, 10)).hasMessageEndingWith("got 0");
    }

    @Test
    void productsAndArrayLengthsDoNotOverflow() {
        assertThat(Limits.product("w × h", 100000, 100000)).isEqualTo(10_000_000_000L);
        assertThatThrownBy(() -> Limits.product("batch × pixels", 1L << 40, 1L << 30))
                .hasMessage("batch × pixels must be a number below 2^63, got 1099511627776 × 1073741824");
        assertThat(Limits.arrayLength("pixels", 46340, 46340)).isEqualTo(46340 * 46340);
        // 100000 × 100000 overflows an int to -64771072 without the 64-bit check.
        assertThatThrownBy(() -> Limits.arrayLength("a 100000×100000 image's pixels", 100000, 100000))
                .hasMessage("a 100000×100000 image's pixels must be at most 2147483639 (one Java array),"
                        + " got 10000000000");
    }

    @Test
    void memoryIsComparedWithTheHeap() {
        Limits.fitsHeap("a batch", 1 << 20, 1 << 21);
        assertThatThrownBy(() -> Limits.fitsHeap("a batch of 8 images of 4096×4096", 3L << 30, 1L << 30))
                .hasMessage("a batch of 8 images of 4096×4096 must fit in the Java heap's 1024 MiB (raise it with"
                        + " -Xmx, or ask for less), got at least 3072 MiB");
        assertThatThrownBy(() -> Limits.fitsHeap("x", Long.MAX_VALUE)).hasMessageContaining("-Xmx");
        assertThat(Limits.mib(1)).isEqualTo("1 MiB");
        assertThat(Limits.mib(0)).isEqualTo("0 MiB");
    }
}
