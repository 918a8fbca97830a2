package dev.vnet.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisProcessIsRefusedUntilTheFirstCloses() throws IOException {
        try (FolderLock first = FolderLock.acquire(dir, "vnet segment")) {
            assertThat(first.folder()).isEqualTo(dir);
            assertThat(Files.readString(dir.resolve(FolderLock.FILE_NAME)))
                    .startsWith("pid " + ProcessHandle.current().pid() + ", vnet segment, since ");
            assertThatThrownBy(() -> FolderLock.acquire(dir, "vnet segment")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(dir + " is in use by another command (pid "
                            + ProcessHandle.current().pid() + ", vnet segment, since ")
                    .hasMessageEndingWith("; wait for it to finish, or write into another folder");
        }
        try (FolderLock again = FolderLock.acquire(dir, "vnet masks")) {
            assertThat(Files.readString(dir.resolve(FolderLock.FILE_NAME))).contains("vnet masks");
        }
        assertThatThrownBy(() -> FolderLock.acquire(dir.resolve("missing"), "x")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aLockHeldByAnotherProcessIsRefusedAndFreedWhenItEnds() throws Exception {
        Path file = dir.resolve(FolderLock.FILE_NAME);
        Files.writeString(file, "pid 1, other program, since then\n");
        // fcntl record locks, the kind the JDK takes on Linux.
        Process other = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)",
                file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> FolderLock.acquire(dir, "vnet train")).isInstanceOf(IOException.class)
                    .hasMessage(dir + " is in use by another command (pid 1, other program, since then); wait for it"
                            + " to finish, or write into another folder");
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        FolderLock.acquire(dir, "vnet train").close();
    }
}
