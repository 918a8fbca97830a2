package dev.vnet.cli;

import dev.vnet.io.allidb.AllIdb1Dataset;
import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.allidb.DatasetScan;
import dev.vnet.io.data.Sample;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an ALL-IDB1-layout folder (a user's copy or synthetic data) into samples, reporting problems. */
final class DataFolders {
    private DataFolders() {}

    /** The samples of {@code dir}; bad samples are reported on {@code warn} and skipped. */
    static List<Sample> load(Path dir, PrintStream warn, boolean quiet) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UserError("data folder " + dir + " does not exist or is not a folder");
        }
        DatasetScan<AllIdb1Sample> scan;
        try {
            scan = AllIdb1Dataset.scan(dir);
        } catch (IOException e) {
            throw new UserError("no ALL-IDB1 data in " + dir + ": " + Cli.message(e));
        }
        if (!scan.isClean() && !quiet) {
            warn.println("warning: " + scan.problems().size() + " problem(s) in " + dir + ", the affected images are skipped:");
            for (DatasetProblem p : scan.problems()) {
                warn.println("  " + p);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (AllIdb1Sample s : scan.samples()) {
            out.add(Sample.ofFile(s.id(), s.imagePath(), s.centres(), s.label()));
        }
        if (out.isEmpty()) {
            throw new UserError("no usable image in " + dir + " (expected im/ImXXX_Y.jpg with xyc/ImXXX_Y.xyc)");
        }
        return out;
    }

    /** Refuses a non-empty output folder unless {@code force}. */
    static void requireEmptyOrForce(Path out, boolean force) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("output " + out + " exists and is a file");
        }
        if (!force && Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("output folder " + out + " is not empty (use --force to write into it anyway)");
                }
            }
        }
    }
}
