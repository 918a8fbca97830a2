package dev.vnet.io.allidb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds where a data set's folders are in a copy that may be nested once or twice. */
final class DatasetLayout {
    private DatasetLayout() {}

    /** How deep below the given root the data folder may be: root, root/X, root/X/Y. */
    static final int MAX_DEPTH = 2;

    /**
     * The shallowest folder at most {@link #MAX_DEPTH} levels below {@code root} (or {@code root} itself) that
     * has a sub-folder named {@code marker} (any case).
     *
     * @throws IOException if {@code root} is not a folder, no such folder exists, or two are equally shallow
     */
    static Path find(Path root, String marker, String datasetName) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, datasetName + " folder does not exist");
        }
        List<Path> level = List.of(root);
        List<Path> looked = new ArrayList<>();
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            List<Path> found = new ArrayList<>();
            for (Path dir : level) {
                looked.add(dir);
                if (child(dir, marker).isPresent()) {
                    found.add(dir);
                }
            }
            if (found.size() == 1) {
                return found.get(0);
            }
            if (found.size() > 1) {
                throw new IOException(datasetName + " under " + root + " is ambiguous: " + found.size()
                        + " folders hold a '" + marker + "/' folder: " + found + "; point to one of them");
            }
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                next.addAll(subdirectories(dir));
            }
            level = next;
        }
        throw new IOException("no " + datasetName + " data under " + root + ": expected a '" + marker
                + "/' folder in " + root + " or at most " + MAX_DEPTH + " levels below it (e.g. "
                + root.resolve(datasetName).resolve(marker) + "); looked in " + looked.size() + " folders");
    }

    /** The sub-folder of {@code dir} named {@code name} in any case, if there is exactly one. */
    static Optional<Path> child(Path dir, String name) throws IOException {
        Path exact = dir.resolve(name);
        if (Files.isDirectory(exact)) {
            return Optional.of(exact);
        }
        for (Path p : subdirectories(dir)) {
            if (p.getFileName().toString().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static List<Path> subdirectories(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !isHidden(p)).sorted().toList();
        }
    }

    /** Every entry of {@code dir} except hidden ones (dot files such as {@code .DS_Store}), sorted by name. */
    static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !isHidden(p)).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    static List<DatasetProblem> sorted(List<DatasetProblem> problems) {
        List<DatasetProblem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing((DatasetProblem p) -> p.file().toString()).thenComparingInt(DatasetProblem::line));
        return out;
    }
}
