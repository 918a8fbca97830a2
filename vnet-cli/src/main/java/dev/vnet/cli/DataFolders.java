package dev.vnet.cli;

import dev.vnet.cli.report.DecodeProgress;
import dev.vnet.io.ImageFiles;
import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetCheck;
import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.io.data.Sample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reads an ALL-IDB1-layout folder (a user's copy or synthetic data) into samples, reporting problems. */
final class DataFolders {
    /** Problems listed in a warning; {@code vnet check} lists them all. */
    static final int LISTED = 5;

    private DataFolders() {}

    /** {@return the image files directly inside {@code folder} (by extension, any case), sorted by name} */
    static List<Path> imagesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(jpe?g|png|tiff?|bmp|pgm|ppm)")).sorted().toList();
        }
    }

    /** The scan of {@code dir}: its good samples and every problem found. */
    static DatasetScan<AllIdb1Sample> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("data folder " + dir + " does not exist or is not a folder");
        }
        try {
            return AllIdb1Dataset.scan(dir);
        } catch (IOException e) {
            throw new UserError("no ALL-IDB1 data in " + dir + ": " + Cli.message(e));
        }
    }

    /**
     * The thorough check of {@code dir} ({@link DatasetCheck}): the scan, then every image decoded in full (a
     * truncated file, a decoder warning or too many pixels is a problem) and every {@code .xyc} checked for repeated
     * points, with a progress bar on stderr unless {@code quiet}.
     */
    static DatasetScan<AllIdb1Sample> check(Path dir, boolean quiet) {
        DatasetScan<AllIdb1Sample> scan = scan(dir);
        try (DecodeProgress bar = quiet ? null : new DecodeProgress(System.err)) {
            return DatasetCheck.decodeAll(scan, AllIdb1Sample::imagePath, DatasetCheck::repeatedPoints,
                    ImageFiles.maxPixels(), bar == null ? DatasetCheck.Progress.NONE : bar);
        }
    }

    /**
     * The check of {@code dir} ({@link #check}) for a run that trains: any problem refuses it before anything is
     * written, with the problems (the first {@value #LISTED}) and what to do about them, on one line.
     */
    static DatasetScan<AllIdb1Sample> checkForTraining(Path dir, boolean quiet) {
        DatasetScan<AllIdb1Sample> scan = check(dir, quiet);
        List<DatasetProblem> problems = scan.problems();
        if (!problems.isEmpty()) {
            StringBuilder m = new StringBuilder(problems.size() + " problem(s) in " + dir + ": ");
            for (int i = 0; i < Math.min(LISTED, problems.size()); i++) {
                m.append(i == 0 ? "" : "; ").append(problems.get(i));
            }
            if (problems.size() > LISTED) {
                m.append("; ... and ").append(problems.size() - LISTED).append(" more");
            }
            throw new UserError(m + ". Nothing was written: repair or replace each file named, or remove it with its "
                    + "image or .xyc, then train again ('vnet check --data " + dir + "' lists every problem)");
        }
        return scan;
    }

    /**
     * The samples of {@code dir} as a scan of its headers finds them ({@link #samples}).
     */
    static List<Sample> load(Path dir, PrintStream warn, boolean quiet) {
        return samples(scan(dir), dir, warn, quiet);
    }

    /**
     * The good samples of a scan or a check of the folder {@code dir}. Bad samples are skipped, and the first {@value #LISTED}
     * problems are listed on {@code warn} unless {@code quiet}; if no sample is usable, one line says how many
     * problems there are and the first of them.
     */
    static List<Sample> samples(DatasetScan<AllIdb1Sample> scan, Path dir, PrintStream warn, boolean quiet) {
        List<DatasetProblem> problems = scan.problems();
        String listAll = "'vnet check --data " + dir + "' lists them all";
        if (scan.samples().isEmpty()) {
            throw new UserError("no usable image in " + dir + (problems.isEmpty()
                    ? " (expected im/ImXXX_Y.jpg with xyc/ImXXX_Y.xyc)"
                    : problems.size() == 1 ? ": " + problems.get(0)
                    : ": " + problems.size() + " problems, the first: " + problems.get(0) + "; " + listAll));
        }
        if (!problems.isEmpty() && !quiet) {
            warn.println("warning: " + problems.size() + " problem(s) in " + dir + ", the affected images are skipped:");
            for (DatasetProblem p : problems.subList(0, Math.min(LISTED, problems.size()))) {
                warn.println("  " + p);
            }
            if (problems.size() > LISTED) {
                warn.println("  ... and " + (problems.size() - LISTED) + " more: " + listAll);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            out.add(Sample.ofFile(s.id(), s.imagePath(), s.centres(), s.label()));
        }
        return out;
    }
}
