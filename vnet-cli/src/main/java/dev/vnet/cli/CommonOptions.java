package dev.vnet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options several commands share, as picocli mixins: one name, one meaning and one description each. */
final class CommonOptions {
    private CommonOptions() {}

    /** {@code --out FOLDER}, required. */
    static final class Out {
        @Option(names = "--out", required = true, paramLabel = "FOLDER",
                description = "Output folder (new or empty unless --force).")
        Path folder;
    }

    /** {@code --force}. */
    static final class Force {
        @Option(names = "--force", description = "Write over what is there: a non-empty output folder, existing output files.")
        boolean allowed;
    }

    /** {@code --threads N}, unset by default (the command says what it uses then). */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N",
                description = "Engine threads (default: the configuration's, else the processor count); the same count "
                        + "gives the same numbers.")
        Integer count;
    }

    /** {@code -q}, {@code --quiet}. */
    static final class Quiet {
        @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines.")
        boolean on;
    }
}
