package dev.vnet.cli;

import dev.vnet.io.FolderLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checks every command makes before it writes anything: nothing on disk is replaced unless asked, and one
 * command at a time writes into an output folder.
 */
final class OutputFiles {
    // The folders this command has locked, released when it ends (Cli.run), so that a test or an embedding program
    // can run commands one after another in one JVM.
    private static final List<FolderLock> HELD = new ArrayList<>();

    private OutputFiles() {}

    /**
     * Creates the output folder if needed and locks it ({@link FolderLock}) until the command ends: a second command
     * writing into it at the same time is refused with a line naming the holder.
     */
    static synchronized void lockFolder(Path out, String command) throws IOException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " exists and is not a folder");
        }
        Files.createDirectories(out);
        HELD.add(FolderLock.acquire(out, command));
    }

    /** Locks the output folder ({@link #lockFolder}), then refuses it if it is not empty, unless {@code force}. */
    static void lockEmptyOrForce(Path out, boolean force, String command) throws IOException {
        requireEmptyOrForce(out, force);
        lockFolder(out, command);
        // Checked again under the lock: another command may have written into it since.
        requireEmptyOrForce(out, force);
    }

    /** Releases the locks this command took. */
    static synchronized void releaseLocks() {
        for (FolderLock l : HELD) {
            try {
                l.close();
            } catch (IOException e) {
                // The process ends soon after, and the operating system releases what is left.
            }
        }
        HELD.clear();
    }

    /** Refuses a non-empty output folder (its lock file aside) unless {@code force}. */
    static void requireEmptyOrForce(Path out, boolean force) throws IOException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " exists and is not a folder" + (Files.exists(out) ? ""
                    : " (a link to nowhere)"));
        }
        if (!force && Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.anyMatch(p -> !p.getFileName().toString().equals(FolderLock.FILE_NAME))) {
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
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError("output " + f + (Files.exists(f) ? "" : ", a link to nowhere,")
                        + " exists (use --force to overwrite)");
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
