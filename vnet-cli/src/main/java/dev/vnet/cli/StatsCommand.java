package dev.vnet.cli;

import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.stats.SmearStatistics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Measure an ALL-IDB1-layout folder as the ALL-IDB1 card was measured and print its tables.",
            "Blasts per image, nearest-neighbour distances of blast centres, purple objects without a label (segmented "
                    + "at a quarter of the resolution), their sizes, and L*a*b* means of background, red cells and "
                    + "nuclei per image size."})
final class StatsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Override
    public Integer call() throws IOException {
        var scan = DataFolders.scan(data);
        PrintWriter out = spec.commandLine().getOut();
        for (DatasetProblem p : scan.problems()) {
            out.println("skipped: " + p);
        }
        if (scan.samples().isEmpty()) {
            throw new UserError("no usable image in " + scan.root());
        }
        out.print(SmearStatistics.table(SmearStatistics.measure(data)));
        out.flush();
        return 0;
    }
}
