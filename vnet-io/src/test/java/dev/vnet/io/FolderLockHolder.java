package dev.vnet.io;

import java.nio.file.Path;

/**
 * Holds a folder's lock from a second JVM for {@link FolderLockTest}: locks {@code args[0]} as {@code args[1]},
 * prints {@code locked}, and waits until it is killed (or a minute has passed).
 */
public final class FolderLockHolder {
    private FolderLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]), args[1])) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
