package dev.vnet.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder of files that is replaced as one unit (for example an epoch's model weights, optimiser state and run
 * state): after a crash at any instant, {@link #recover} leaves either the previous folder or the new one,
 * complete, never a mix of the two.
 *
 * <p>How: the new files are written into {@code .NAME.new.tmp/} next to {@code NAME/}, each flushed to disk
 * ({@code fsync}), then a manifest {@value #MANIFEST} listing every file and its size is written and flushed last,
 * and the folder itself is flushed. Then {@code NAME/} is renamed to {@code .NAME.old.tmp/}, {@code .NAME.new.tmp/}
 * to {@code NAME/} (the parent flushed after each rename), and the old folder is deleted. A folder is complete
 * when its manifest is there and every file it lists has the listed size. {@link #recover} finishes or undoes
 * what a crash interrupted: it keeps {@code NAME/} if it is there, otherwise a complete new folder, otherwise the
 * old one, and deletes the rest.
 */
public final class AtomicFolder {
    /** The manifest inside a complete folder: one line per file, {@code size<TAB>name}. */
    public static final String MANIFEST = ".manifest";

    private AtomicFolder() {}

    /** The point a write has reached; a test stops a write there to simulate a crash. */
    interface Steps {
        void reached(String step) throws IOException;

        Steps NONE = step -> { };
    }

    /**
     * Replaces {@code folder} by a folder holding exactly {@code files}, as one unit. The parent folder must exist.
     *
     * @param folder the folder to replace (or create)
     * @param files  the file names (plain names, no separators) and their content, written in this order
     * @throws IOException if a file cannot be written; {@code folder} is then unchanged and the partial new folder
     *                     removed
     */
    public static void write(Path folder, Map<String, AtomicFiles.ContentWriter> files) throws IOException {
        write(folder, files, Steps.NONE);
    }

    static void write(Path folder, Map<String, AtomicFiles.ContentWriter> files, Steps steps) throws IOException {
        Path abs = folder.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(folder.toString(), null, "cannot write: the parent folder " + parent
                    + " does not exist");
        }
        for (String name : files.keySet()) {
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                    || name.equals(MANIFEST)) {
                throw new IllegalArgumentException("file name '" + name + "' in " + folder
                        + " must be a plain name other than " + MANIFEST);
            }
        }
        // A crash of an earlier write may have left its folders: settle them first.
        recover(abs);
        Path fresh = AtomicFiles.InProgress.create(() -> Files.createDirectory(newPath(abs)));
        try {
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (Map.Entry<String, AtomicFiles.ContentWriter> e : files.entrySet()) {
                Path file = fresh.resolve(e.getKey());
                writeDurably(file, e.getValue());
                sizes.put(e.getKey(), Files.size(file));
                steps.reached("wrote " + e.getKey());
            }
            StringBuilder manifest = new StringBuilder();
            sizes.forEach((name, size) -> manifest.append(size).append('\t').append(name).append('\n'));
            byte[] m = manifest.toString().getBytes(StandardCharsets.UTF_8);
            writeDurably(fresh.resolve(MANIFEST), out -> out.write(m));
            AtomicFiles.syncDirectory(fresh);
            steps.reached("complete");
        } catch (IOException e) {
            deleteTree(fresh);
            AtomicFiles.InProgress.remove(fresh);
            throw e;
        }
        Path old = oldPath(abs);
        if (Files.exists(abs)) {
            Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(parent);
            steps.reached("moved the old folder away");
        }
        Files.move(fresh, abs, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.InProgress.remove(fresh);
        AtomicFiles.syncDirectory(parent);
        steps.reached("moved the new folder in");
        deleteTree(old);
    }

    /**
     * Settles {@code folder} after a crash during {@link #write}: keeps {@code folder} if it exists (unless it is an
     * incomplete unit and a complete new folder or the old one is there), otherwise the complete new folder,
     * otherwise the old one; deletes the other leftovers.
     *
     * @param folder the folder a write was replacing
     * @return true if {@code folder} exists afterwards
     * @throws IOException if a folder cannot be renamed or deleted
     */
    public static boolean recover(Path folder) throws IOException {
        Path abs = folder.toAbsolutePath();
        Path fresh = newPath(abs);
        Path old = oldPath(abs);
        boolean replaceable = Files.isDirectory(abs) && Files.exists(abs.resolve(MANIFEST)) && !isComplete(abs)
                && ((Files.isDirectory(fresh) && isComplete(fresh)) || Files.isDirectory(old));
        if (replaceable) {
            // A unit moved in while a signal's cleanup was deleting its files: one of the others is whole.
            deleteTree(abs);
        }
        if (!Files.exists(abs)) {
            if (Files.isDirectory(fresh) && isComplete(fresh)) {
                Files.move(fresh, abs, StandardCopyOption.ATOMIC_MOVE);
            } else if (Files.isDirectory(old)) {
                Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
            }
            if (abs.getParent() != null) {
                AtomicFiles.syncDirectory(abs.getParent());
            }
        }
        deleteTree(fresh);
        deleteTree(old);
        return Files.exists(abs);
    }

    /**
     * {@return whether {@code folder} holds a manifest and every file it lists, with the listed size}
     *
     * @param folder a folder written by {@link #write}
     */
    public static boolean isComplete(Path folder) {
        try {
            return problem(folder) == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks that {@code folder} is a complete unit.
     *
     * @param folder a folder written by {@link #write}
     * @throws IOException naming the folder and what is missing or of the wrong size
     */
    public static void requireComplete(Path folder) throws IOException {
        String p = problem(folder);
        if (p != null) {
            throw new IOException(folder + ": " + p);
        }
    }

    private static String problem(Path folder) throws IOException {
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return "not a complete unit: it has no " + MANIFEST + " (the write that made it did not finish)";
        }
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab < 1) {
                return MANIFEST + " has the line '" + line + "', expected size<TAB>name";
            }
            String name = line.substring(tab + 1);
            long size;
            try {
                size = Long.parseLong(line.substring(0, tab));
            } catch (NumberFormatException e) {
                return MANIFEST + " has the line '" + line + "', expected size<TAB>name";
            }
            Path file = folder.resolve(name);
            if (!Files.isRegularFile(file)) {
                return "the file " + name + " listed in " + MANIFEST + " is missing";
            }
            if (Files.size(file) != size) {
                return "the file " + name + " has " + Files.size(file) + " bytes, " + MANIFEST + " says " + size;
            }
        }
        return null;
    }

    /**
     * {@return the names of the files of a complete unit, in the order they were written}
     *
     * @param folder a folder written by {@link #write}
     * @throws IOException if it is not complete ({@link #requireComplete})
     */
    public static List<String> files(Path folder) throws IOException {
        requireComplete(folder);
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            names.add(line.substring(line.indexOf('\t') + 1));
        }
        return names;
    }

    static Path newPath(Path folder) {
        return folder.resolveSibling("." + folder.getFileName() + ".new.tmp");
    }

    static Path oldPath(Path folder) {
        return folder.resolveSibling("." + folder.getFileName() + ".old.tmp");
    }

    private static void writeDurably(Path file, AtomicFiles.ContentWriter writer) throws IOException {
        AtomicFiles.writeAndSync(file, writer, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Deletes a file or a folder with everything in it; a symbolic link is deleted, not followed.
     *
     * @param p the file or folder; nothing happens if it does not exist
     * @throws IOException if an entry cannot be deleted
     */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path c : children) {
                deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
