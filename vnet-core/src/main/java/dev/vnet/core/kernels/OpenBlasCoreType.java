package dev.vnet.core.kernels;

import com.sun.jna.Function;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the OpenBLAS kernels before OpenBLAS is loaded.
 *
 * <p>The OpenBLAS that ND4J ships (0.3.19, built with {@code DYNAMIC_ARCH}) picks its kernels from the CPU's
 * vendor and family, and predates AMD's Zen 4 and Zen 5: on this project's reference machine (AMD EPYC with
 * AVX-512) it picks {@code Barcelona} (SSE, 2007), and the machine's environment sets {@code
 * OPENBLAS_CORETYPE=Haswell} (AVX2) to do better. Both leave AVX-512 unused: the 5×5 convolutions ran at 55–105
 * GFLOP/s per core with {@code Haswell} and 160–195 with {@code SkylakeX} (docs/benchmarks.md). OpenBLAS takes
 * the choice from the environment variable {@code OPENBLAS_CORETYPE}, read once when the library loads, so this
 * class sets it in the process environment (through libc's {@code setenv}) before the first load. The system
 * property {@code vnet.openblas.coretype} says what to set:
 * <ul>
 *   <li>{@code auto} (the default): {@code SkylakeX} on Linux x86-64 when {@code /proc/cpuinfo} lists every AVX-512
 *   extension those kernels use (F, CD, BW, DQ, VL), replacing what {@code OPENBLAS_CORETYPE} said (logged);
 *   nothing elsewhere;</li>
 *   <li>{@code none}: nothing (OpenBLAS follows {@code OPENBLAS_CORETYPE} or its own detection);</li>
 *   <li>any other value: that core type, as OpenBLAS names them ({@code Haswell}, {@code SkylakeX}, ...).</li>
 * </ul>
 * Only the speed changes: results agree with the other kernels to rounding (the sum order inside a product
 * differs), and stay bit-identical from run to run with the same kernels and thread count. Nothing is changed once
 * OpenBLAS is loaded (for example by ND4J before this library's first convolution).
 */
public final class OpenBlasCoreType {
    private static final Logger LOG = LoggerFactory.getLogger(OpenBlasCoreType.class);
    /** The environment variable OpenBLAS reads. */
    public static final String ENV = "OPENBLAS_CORETYPE";
    /** The system property that overrides the automatic choice: a core type, {@code auto} or {@code none}. */
    public static final String PROPERTY = "vnet.openblas.coretype";
    private static final List<String> AVX512_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private OpenBlasCoreType() {}

    /**
     * Sets {@code OPENBLAS_CORETYPE} as described above. {@link GemmConvKernels} calls it once, right before it loads
     * OpenBLAS (later it would have no effect).
     */
    static void applyBeforeLoading() {
        String existing = System.getenv(ENV);
        String wanted = System.getProperty(PROPERTY, "auto").trim();
        String core;
        if (wanted.equalsIgnoreCase("none")) {
            return;
        } else if (wanted.equalsIgnoreCase("auto")) {
            core = choose(System.getProperty("os.name", ""), System.getProperty("os.arch", ""), cpuFlags());
            if (core == null || core.equalsIgnoreCase(existing)) {
                return;
            }
            if (existing != null && !existing.isBlank()) {
                LOG.debug("{}={} in the environment, but this CPU runs AVX-512: using OpenBLAS's {} kernels (-D{}=none "
                        + "keeps {})", ENV, existing, core, PROPERTY, existing);
            }
        } else {
            core = wanted;
        }
        try {
            int rc = Function.getFunction("c", "setenv").invokeInt(new Object[] {ENV, core, 1});
            if (rc != 0) {
                LOG.warn("could not set {}={} (setenv returned {}); OpenBLAS chooses its own kernels", ENV, core, rc);
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not set {}={} ({}); OpenBLAS chooses its own kernels", ENV, core, e.toString());
            return;
        }
        LOG.debug("{} set to {} before loading OpenBLAS", ENV, core);
    }

    /**
     * {@return {@code OPENBLAS_CORETYPE} as the process environment holds it now (after {@link GemmConvKernels} has
     * loaded OpenBLAS, the kernels it runs), or {@code null} where it is unset or cannot be read}
     */
    public static String current() {
        try {
            return (String) Function.getFunction("c", "getenv").invoke(String.class, new Object[] {ENV});
        } catch (RuntimeException | LinkageError e) {
            return System.getenv(ENV);
        }
    }

    /**
     * {@return the kernels the loaded OpenBLAS runs, as it names them ({@code openblas_get_corename()}: {@code Zen},
     * {@code SkylakeX}, {@code Haswell}, ...), whatever chose them (its own detection or {@code OPENBLAS_CORETYPE}),
     * or {@code null} where OpenBLAS is not loaded or cannot be asked}
     */
    public static String loadedKernels() {
        if (!GemmConvKernels.isAvailable()) {
            return null;
        }
        try {
            // The JNI library JavaCPP loaded links OpenBLAS, so its handle resolves OpenBLAS's own functions.
            String path = org.bytedeco.javacpp.Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
            return (String) com.sun.jna.NativeLibrary.getInstance(path).getFunction("openblas_get_corename")
                    .invoke(String.class, new Object[0]);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * {@return the core type to ask for on a machine, or {@code null} to leave OpenBLAS's own choice}
     *
     * @param osName  the {@code os.name} property
     * @param osArch  the {@code os.arch} property
     * @param flags   the CPU's feature flags as {@code /proc/cpuinfo} lists them (lower case)
     */
    static String choose(String osName, String osArch, Set<String> flags) {
        boolean linuxX64 = osName.toLowerCase(Locale.ROOT).startsWith("linux")
                && (osArch.equals("amd64") || osArch.equals("x86_64"));
        return linuxX64 && flags.containsAll(AVX512_FLAGS) ? "SkylakeX" : null;
    }

    /** The first {@code flags} line of {@code /proc/cpuinfo}, as a set; empty where there is none. */
    private static Set<String> cpuFlags() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return Set.of();
        }
        try (var lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Set.<String>copyOf(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}
