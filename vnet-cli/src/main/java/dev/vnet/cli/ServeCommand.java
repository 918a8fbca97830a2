package dev.vnet.cli;

import dev.vnet.io.ImageFiles;
import dev.vnet.io.Limits;
import dev.vnet.serve.BlastServer;
import dev.vnet.serve.ServeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a web page that shows the blasts of dropped photographs, and its JSON API "
                + "(docs/server.md; the OpenAPI description at /api/v1/openapi.json).",
            "Binds to this machine only unless --host says otherwise, prints the page's address when ready, and stops "
                    + "cleanly on Ctrl-C or SIGTERM: the images under way are answered, new ones refused."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint (.safetensors) written by train.")
    Path model;

    @Option(names = "--classifier", paramLabel = "CKPT", description = "A cell classifier (classify train) as the "
            + "point detector's second stage, as segment --classifier runs it: the cells, their scores and the image "
            + "score are then blast probabilities (docs/classification.md).")
    Path classifier;

    @Option(names = "--host", description = "Address to listen on (0.0.0.0: every interface).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "TCP port (0: any free one).")
    int port = 8080;

    @Mixin
    CommonOptions.Threads threads;

    @Option(names = "--max-upload-mb", paramLabel = "MB", description = "Largest upload, in MiB.")
    int maxUploadMb = (int) (ServeSettings.DEFAULT_MAX_UPLOAD_BYTES >> 20);

    @Option(names = "--max-pixels", paramLabel = "N", description = "Most pixels (width × height) an image may "
            + "declare; checked from its header, before decoding.")
    long maxPixels = ServeSettings.DEFAULT_MAX_PIXELS;

    @Option(names = "--queue", paramLabel = "N", description = "Images that may wait for the analyser; one more is "
            + "answered 429 with Retry-After.")
    int queue = ServeSettings.defaults().queueCapacity();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest an image may wait and be analysed "
            + "before it is answered 503.")
    int timeoutSeconds = (int) ServeSettings.defaults().requestTimeout().toSeconds();

    @Option(names = "--keep-minutes", paramLabel = "MIN", description = "How long a result stays for its downloads.")
    int keepMinutes = (int) ServeSettings.defaults().resultTtl().toMinutes();

    @Option(names = "--keep-results", paramLabel = "N", description = "Most results kept in memory (oldest dropped "
            + "first).")
    int keepResults = ServeSettings.defaults().maxResults();

    @Override
    public Integer call() throws Exception {
        CommonOptions.inferenceOnly();
        UserError.BadValue.check(() -> {
            Limits.range("--port", port, 0, 65535);
            Limits.range("--max-upload-mb", maxUploadMb, 1, 2047);
            Limits.range("--queue", queue, 1, 10_000);
            Limits.range("--timeout", timeoutSeconds, 1, 86_400);
            Limits.range("--keep-minutes", keepMinutes, 1, 10_080);
            Limits.range("--keep-results", keepResults, 1, 100_000);
            Limits.range("--max-pixels", maxPixels, 1, ImageFiles.DEFAULT_MAX_PIXELS);
        });
        Integer engineThreads = threads.checked();
        if (!Files.isRegularFile(model)) {
            throw new UserError("model " + model + " does not exist or is not a file");
        }
        if (classifier != null && !Files.isRegularFile(classifier)) {
            throw new UserError("--classifier " + classifier + " does not exist or is not a file");
        }
        ServeSettings settings = ServeSettings.defaults().withAddress(host, port)
                .withUploadLimits((long) maxUploadMb << 20, maxPixels)
                .withQueue(1, queue, Duration.ofSeconds(timeoutSeconds))
                .withResults(Duration.ofMinutes(keepMinutes), keepResults)
                .withThreads(engineThreads == null ? 0 : engineThreads);
        // Javalin and Jetty would say at INFO, in several lines, what the one line below says.
        for (String logger : List.of("io.javalin", "org.eclipse.jetty")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            System.setProperty(key, System.getProperty(key, "warn"));
        }
        BlastServer server = BlastServer.start(model, classifier, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vnet-serve-stop"));
        System.out.println("vnet serve: model " + server.modelId() + " at " + server.url() + " (Ctrl-C stops)");
        System.out.flush();
        server.awaitStop();
        return 0;
    }
}
