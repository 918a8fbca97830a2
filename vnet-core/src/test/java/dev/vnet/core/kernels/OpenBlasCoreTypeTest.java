package dev.vnet.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenBlasCoreTypeTest {
    private static final Set<String> AVX512 = Set.of("fpu", "sse2", "avx2", "fma", "avx512f", "avx512cd", "avx512bw",
            "avx512dq", "avx512vl", "avx512_vnni");

    @Test
    void skylakeXKernelsOnLinuxX64WithEveryAvx512ExtensionTheyUse() {
        assertThat(OpenBlasCoreType.choose("Linux", "amd64", AVX512)).isEqualTo("SkylakeX");
        assertThat(OpenBlasCoreType.choose("Linux", "x86_64", AVX512)).isEqualTo("SkylakeX");
    }

    @Test
    void openBlasKeepsItsOwnChoiceOtherwise() {
        assertThat(OpenBlasCoreType.choose("Linux", "amd64", Set.of("avx2", "fma", "avx512f"))).isNull();
        assertThat(OpenBlasCoreType.choose("Linux", "aarch64", AVX512)).isNull();
        assertThat(OpenBlasCoreType.choose("Mac OS X", "x86_64", AVX512)).isNull();
        assertThat(OpenBlasCoreType.choose("Linux", "amd64", Set.of())).isNull();
    }

    @Test
    void theLoadedOpenBlasNamesItsKernels() {
        GemmConvKernels.instance();
        // OpenBLAS's names of its x86-64 kernels start with a capital letter: Haswell, SkylakeX, Zen, Barcelona, ...
        assertThat(OpenBlasCoreType.loadedKernels()).isNotBlank().matches("[A-Z][A-Za-z0-9]+");
    }

    @Test
    void theChosenCoreTypeReachesTheProcessEnvironmentBeforeOpenBlasLoads() throws Exception {
        // In a fresh JVM, so that OpenBLAS has not been loaded yet and the environment is the parent's.
        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                "-D" + OpenBlasCoreType.PROPERTY + "=Haswell", Probe.class.getName());
        pb.environment().remove(OpenBlasCoreType.ENV);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).endsWith("OPENBLAS_CORETYPE=Haswell");
    }

    @Test
    void withNoneTheEnvironmentsCoreTypeIsLeftAlone() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                "-D" + OpenBlasCoreType.PROPERTY + "=none", Probe.class.getName());
        pb.environment().put(OpenBlasCoreType.ENV, "Sandybridge");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).endsWith("OPENBLAS_CORETYPE=Sandybridge");
    }

    /** Loads the kernels, then prints the variable as the C library sees it. */
    static final class Probe {
        public static void main(String[] args) {
            GemmConvKernels.instance();
            System.out.println("OPENBLAS_CORETYPE=" + OpenBlasCoreType.current());
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
