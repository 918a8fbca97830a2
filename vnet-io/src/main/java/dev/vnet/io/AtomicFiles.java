package dev.vnet.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a half-written
 * file: the content goes to a temporary file in the same directory, is flushed to disk ({@code fsync}), and
 * is then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}. If anything fails before the
 * rename, the temporary file is deleted and the old target is left untouched.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface ContentWriter {
        /**
         * Writes the whole content to {@code out} (do not close it).
         *
         * @param out the stream to write to
         * @throws IOException if a file cannot be read or written
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with the content produced by {@code writer}. The parent directory must
     * exist.
     *
     * @param target the file to write
     * @param writer writes the content
     * @throws IOException if the content cannot be written or the rename fails; the old file is then intact
     */
    public static void write(Path target, ContentWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(target.toString(), null,
                    "cannot write: the parent directory " + dir + " does not exist");
        }
        // Hidden temporary name in the same directory: a rename within one file system can be atomic.
        Path tmp = InProgress.create(() -> Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp"));
        boolean moved = false;
        try {
            writeAndSync(tmp, writer, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            keepPermissions(tmp, abs);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + " atomically: the file system does not support"
                        + " an atomic rename in " + dir, e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
            InProgress.remove(tmp);
        }
    }

    /**
     * Lets the calling thread, a shutdown hook that saves work (such as a training run's interrupt checkpoint), start
     * writes after the JVM has begun to end. Other threads' writes are refused from then on, so that no temporary
     * file is created after the hook that deletes them has run; a hook's own writes finish or delete their temporary
     * file before the JVM ends, since the JVM waits for its hooks.
     */
    public static void permitWritesWhileTheJvmEnds() {
        InProgress.PERMITTED.add(Thread.currentThread());
    }

    /**
     * The temporary files and folders of writes under way, deleted by a shutdown hook when the JVM ends before
     * they finish (SIGINT, SIGTERM, {@code System.exit}), so that a stopped command leaves no hidden
     * {@code .NAME.NNN.tmp} behind. (A kill -9 runs no hook: {@link #removeLeftovers} clears those.)
     */
    static final class InProgress {
        /** Each temporary file or folder, with the thread writing it. */
        private static final Map<Path, Thread> PATHS = new ConcurrentHashMap<>();
        private static final Set<Thread> PERMITTED = ConcurrentHashMap.newKeySet();
        // Set when the hook starts: threads still running while the JVM ends create no temporary file it would miss.
        private static boolean ending;

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(InProgress::deleteAll, "vnet-temporary-files"));
        }

        private InProgress() {}

        /** Creates a temporary file or folder with {@code creation} and records it, unless the JVM is ending. */
        static synchronized Path create(Creation creation) throws IOException {
            if (ending && !PERMITTED.contains(Thread.currentThread())) {
                throw new IOException("not written: the command is being stopped");
            }
            Path p = creation.create();
            PATHS.put(p, Thread.currentThread());
            return p;
        }

        static void remove(Path p) {
            PATHS.remove(p);
        }

        private static void deleteAll() {
            synchronized (InProgress.class) {
                ending = true;
            }
            for (Map.Entry<Path, Thread> entry : PATHS.entrySet()) {
                // A write the JVM's ending was permitted to make (an interrupt's checkpoint, in another shutdown
                // hook running beside this one) is its own to finish: deleting its temporary file would fail it.
                if (PERMITTED.contains(entry.getValue())) {
                    continue;
                }
                Path p = entry.getKey();
                try {
                    // A folder of AtomicFolder's whose rename is under way may already be gone: nothing to do then.
                    AtomicFolder.deleteTree(p);
                } catch (IOException | RuntimeException e) {
                    // The JVM is ending: what cannot be deleted now, removeLeftovers deletes on the next start.
                }
            }
        }

        /** Creates a file or folder, returning its path. */
        @FunctionalInterface
        interface Creation {
            Path create() throws IOException;
        }
    }

    /** Writes {@code file} opened with {@code options} and flushes it to disk before returning. */
    static void writeAndSync(Path file, ContentWriter writer, StandardOpenOption... options) throws IOException {
        try (FileChannel ch = FileChannel.open(file, options)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            writer.writeTo(out);
            out.flush();
            ch.force(true);
        }
    }

    // A temporary file is created readable by its owner only; the result should look like any other file:
    // the permissions of the file it replaces, or rw-r--r-- for a new one.
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically.
     *
     * @param target the file to write
     * @param bytes  the content
     * @throws IOException if a file cannot be read or written
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target} atomically: a file shared by several outputs (a CSV of
     * counts, a report) is always written whole, never appended to.
     *
     * @param target the file to write
     * @param text   the whole content
     * @throws IOException if the content cannot be written or the rename fails; the old file is then intact
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    // The temporary names of write (".NAME.<digits>.tmp") and of AtomicFolder (".NAME.new.tmp", ".NAME.old.tmp").
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(\\d+|new|old)\\.tmp");

    /**
     * Removes what writes interrupted by a crash or a signal left in {@code dir}: hidden temporary files
     * {@code .NAME.NNN.tmp} of {@link #write}, and the temporary folders of {@link AtomicFolder#write} after
     * settling each unit ({@link AtomicFolder#recover}: the previous or the new folder is kept, whole). Call it
     * only while no other process writes in {@code dir} (hold its {@link FolderLock}).
     *
     * @param dir the folder
     * @return the temporary files and folders removed or settled, sorted
     * @throws IOException if the folder cannot be listed or an entry cannot be removed
     */
    public static List<Path> removeLeftovers(Path dir) throws IOException {
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path p : found) {
            Matcher m = TEMPORARY.matcher(p.getFileName().toString());
            m.matches();
            boolean unit = !Character.isDigit(m.group(2).charAt(0));
            if (unit && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                AtomicFolder.recover(p.resolveSibling(m.group(1)));
            } else if (!unit && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        }
        if (!found.isEmpty()) {
            syncDirectory(dir);
        }
        return found;
    }

    // Makes the rename itself durable. Not every platform can open a directory (Windows cannot): best effort.
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The data file itself is already on disk; only the directory entry's durability is not guaranteed.
        }
    }
}
