package dev.vnet.io.allidb;

import java.nio.file.Path;

/**
 * One thing wrong with a data set folder.
 *
 * @param file    the file (or folder) concerned
 * @param line    the 1-based line in that file, or -1 if the problem is not on one line
 * @param message what is wrong and what was expected
 */
public record DatasetProblem(Path file, int line, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
