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
        // A second JVM, as a second vnet command would be: the JDK's locks are fcntl record locks on Linux.
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process other = new ProcessBuilder(java, "-cp", classPath, FolderLockHolder.class.getName(), dir.toString(),
                "other program").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> FolderLock.acquire(dir, "vnet train")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(dir + " is in use by another command (pid " + other.pid()
                            + ", other program, since ")
                    .hasMessageEndingWith("; wait for it to finish, or write into another folder");
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        FolderLock.acquire(dir, "vnet train").close();
    }
}
