package dev.vnet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One writer per output folder: an advisory lock ({@link FileChannel#tryLock()}) on the file {@value #FILE_NAME}
 * inside the folder, held until {@link #close()} or the end of the process (the operating system releases it
 * even after a kill). A second command that asks for the same folder, in this process or another, is refused at
 * once with a line naming the folder and the holder, instead of both writing into it.
 *
 * <p>The lock file stays in the folder after the lock is released: deleting it would let two processes lock two
 * different files of the same name. It holds one line about its last holder (process id, command, start time).
 */
public final class FolderLock implements AutoCloseable {
    /** The name of the lock file inside a locked folder (hidden, so listings and data scans skip it). */
    public static final String FILE_NAME = ".vnet.lock";

    private static final int MAX_HOLDER_TEXT = 200;

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code folder} for {@code command}, or refuses if another holds it.
     *
     * @param folder  an existing folder
     * @param command what will write into it, for the message another command gets (e.g. {@code "vnet segment"})
     * @return the lock; close it when the writing is done
     * @throws IOException naming the folder and the holder if another command holds the lock, or if the lock file
     *                     cannot be created
     */
    public static FolderLock acquire(Path folder, String command) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "cannot lock: not a folder");
        }
        Path file = folder.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw new IOException(folder + ": cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IOException(folder + " is in use by another command" + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; wait for it to finish, or write into another folder");
        }
        String line = "pid " + ProcessHandle.current().pid() + ", " + command + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), 0);
        return new FolderLock(folder, ch, lock);
    }

    // The holder's line, as it wrote it; empty if it cannot be read.
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(MAX_HOLDER_TEXT);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return s.replaceAll("\\p{Cntrl}", " ");
        } catch (IOException e) {
            return "";
        }
    }

    /** {@return the locked folder} */
    public Path folder() {
        return folder;
    }

    /**
     * Releases the lock.
     *
     * @throws IOException if the lock file cannot be closed
     */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
