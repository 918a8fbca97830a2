package dev.vnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The checks every command makes before it writes anything: nothing on disk is replaced unless asked. */
final class OutputFiles {
    private OutputFiles() {}

    /** Refuses a non-empty output folder unless {@code force}. */
    static void requireEmptyOrForce(Path out, boolean force) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " exists and is a file");
        }
        if (!force && Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("output folder " + out + " is not empty (use --force to write into it anyway)");
                }
            }
        }
    }

    /** Refuses if one of {@code files} exists, unless {@code force}. */
    static void requireNewOrForce(List<Path> files, boolean force) {
        if (force) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new UserError("output " + f + " exists (use --force to overwrite)");
            }
        }
    }

    /**
     * Refuses two inputs that would be written to the same output file, whatever {@code --force} says: the second
     * would silently replace what the first gave.
     *
     * @param inputs the input files, in the order given
     * @param output the output file of an input (one of them if it has several, all named alike)
     */
    static void requireDistinctOutputs(List<Path> inputs, Function<Path, Path> output) {
        Map<Path, Path> inputByOutput = new HashMap<>();
        for (Path in : inputs) {
            Path out = output.apply(in).toAbsolutePath().normalize();
            Path other = inputByOutput.putIfAbsent(out, in);
            if (other != null) {
                throw new UserError("inputs " + other + " and " + in + " would both be written to "
                        + output.apply(in) + " (the same name without its extension): rename one of them");
            }
        }
    }
}
