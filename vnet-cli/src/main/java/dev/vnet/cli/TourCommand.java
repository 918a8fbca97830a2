package dev.vnet.cli;

import dev.vnet.cli.tour.SmearTour;
import dev.vnet.io.Limits;
import dev.vnet.train.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"Follow one photograph through the method, for learning: the preprocessing steps, a small V-Net "
                + "(its initial weights, or trained on the photograph with --steps), the feature maps of every stage, "
                + "the loss, the graph, and the gradients of the loss with respect to the input and to the first "
                + "convolution's weights.",
            "Prints the shapes and the time of every stage and writes the pictures and tour.txt (the printed text) "
                    + "into --out; docs/tour.md explains them. The same photograph, options and --threads give the "
                    + "same pictures."})
final class TourCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "IMAGE",
            description = "A photograph of a smear (default: " + SmearTour.SHIPPED_PHOTO + ", a BCCD photograph the "
                    + "project ships, with its one white cell marked).")
    Path image;

    @Option(names = "--centres", paramLabel = "FILE.xyc", description = "The cell centres of the true mask (default: "
            + "IMAGE's .xyc in its folder or in ../xyc/; none: an empty mask).")
    Path centres;

    @Mixin
    CommonOptions.Out out;

    @Mixin
    CommonOptions.Force force;

    @Option(names = "--steps", defaultValue = "0", description = "Adam steps on the photograph before the pass that is "
            + "shown (each takes about as long as the tour's own pass); 0 shows the initial weights.")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights.")
    long seed;

    @Option(names = "--radius", defaultValue = "25", description = "Radius of the true mask's discs in pixels of the "
            + "photograph (the method's 25).")
    int radius;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N", description = "Engine threads; docs/tour's "
            + "pictures were made with 2.")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UserError.BadValue.check(() -> {
            Limits.range("--steps", steps, 0, 100_000);
            Limits.range("--radius", radius, 1, Checkpoint.MAX_MASK_RADIUS);
            Limits.threads("--threads", threads);
        });
        SmearTour.Settings defaults = SmearTour.Settings.defaults();
        SmearTour.Settings settings = new SmearTour.Settings(defaults.baseWidth(), seed, steps, defaults.learningRate(),
                radius, threads);
        if (image != null && !Files.isRegularFile(image)) {
            throw new UserError("input image " + image + " does not exist or is not a file");
        }
        if (centres != null && !Files.isRegularFile(centres)) {
            throw new UserError("centres file " + centres + " does not exist or is not a file");
        }
        OutputFiles.lockEmptyOrForce(out.folder, force.allowed, "tour");
        SmearTour.Photo photo = image == null ? SmearTour.shippedPhoto() : SmearTour.photo(image, centres);
        PrintWriter print = spec.commandLine().getOut();
        SmearTour.run(photo, settings, out.folder, line -> {
            print.println(line);
            print.flush();
        });
        print.println();
        print.println("pictures and tour.txt in " + out.folder + "; docs/tour.md explains them");
        print.flush();
        return 0;
    }
}
