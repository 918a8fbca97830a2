package dev.vnet.cli;

import dev.vnet.io.allidb.AllIdb1Sample;
import dev.vnet.io.allidb.DatasetProblem;
import dev.vnet.io.allidb.DatasetScan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check an ALL-IDB1-layout folder: list every problem and count the usable images.",
            "Decodes every image in full as train does before it starts (a truncated or damaged image, a decoder "
                    + "warning or more pixels than the limit is a problem), checks every .xyc (repeated points "
                    + "included), lists every problem with its file and line, and fails if there is one."})
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "ALL-IDB1-layout folder (im/, xyc/).")
    Path data;

    @Mixin
    CommonOptions.Quiet quiet;

    @Override
    public Integer call() {
        DatasetScan<AllIdb1Sample> scan = DataFolders.check(data, quiet.on);
        PrintWriter out = spec.commandLine().getOut();
        for (DatasetProblem p : scan.problems()) {
            out.println(p);
        }
        String summary = scan.samples().size() + " usable image(s) and " + scan.problems().size() + " problem(s) in "
                + scan.root();
        if (!scan.isClean()) {
            out.flush();
            throw new UserError(summary);
        }
        out.println(summary);
        return 0;
    }
}
