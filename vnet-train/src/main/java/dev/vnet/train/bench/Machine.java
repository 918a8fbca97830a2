package dev.vnet.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a benchmark ran on, as every benchmark output of this project names it, so that a comparison refuses
 * numbers from two machines: the CPU model ({@code /proc/cpuinfo}'s "model name"), the number of processors and the
 * host name. The Python peers in {@code tools/bench/} write the same fields ({@code tools/bench/machine.py}); two
 * machines are the same when CPU model and host name agree (the processors a runtime counts may differ under a CPU
 * quota).
 *
 * @param cpuModel   the CPU's model name, or the OS architecture where there is none
 * @param processors the processors the operating system offers
 * @param host       the host name ({@code /proc/sys/kernel/hostname}, else {@code HOSTNAME}), or "" if unknown
 */
public record Machine(String cpuModel, int processors, String host) {

    /** {@return this machine} */
    public static Machine current() {
        return new Machine(readCpuModel(), Runtime.getRuntime().availableProcessors(), readHost());
    }

    /** {@return the CPU's model name as /proc/cpuinfo gives it, or the OS architecture where there is none} */
    public static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String readHost() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            String h = System.getenv("HOSTNAME");
            return h == null ? "" : h;
        }
    }

    /**
     * Refuses to compare with numbers measured elsewhere.
     *
     * @param other  the machine the other numbers name
     * @param source where they come from, for the message
     * @throws IllegalArgumentException naming both machines if they differ
     */
    public void requireSame(Machine other, String source) {
        if (!cpuModel.equals(other.cpuModel) || !host.equals(other.host)) {
            throw new IllegalArgumentException(source + " was measured on another machine (" + other.describe()
                    + "), this is " + describe() + ": run both on the same machine");
        }
    }

    /** {@return e.g. {@code "AMD EPYC, 2 processors, host ci-7"}} */
    public String describe() {
        return cpuModel + ", " + processors + " processors, host " + (host.isEmpty() ? "unknown" : host);
    }
}
