package dev.vnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vnet} command line: {@code demo}, {@code synth}, {@code check}, {@code preprocess}, {@code masks},
 * {@code train}, {@code eval}, {@code segment}, {@code serve}, {@code describe}, {@code bench}, {@code stats},
 * {@code cv}, {@code classify}, {@code tour} and {@code export}. Every error, an {@link Error} such as running out of
 * memory included, is one line on stderr and a non-zero exit code (2 for a wrong command line or an option value out
 * of range, 1 for a failure of the work; an interrupt ends the JVM with 130).
 */
@Command(name = "vnet", mixinStandardHelpOptions = true, versionProvider = Cli.BuildVersion.class,
        description = "Train and use a 2D V-Net that finds leukaemia blast cells in blood smear images.",
        subcommands = {DemoCommand.class, SynthCommand.class, CheckCommand.class, PreprocessCommand.class,
            MasksCommand.class, TrainCommand.class, EvalCommand.class, SegmentCommand.class, DescribeCommand.class,
            BenchCommand.class, StatsCommand.class, CvCommand.class, ClassifyCommand.class, ServeCommand.class,
            TourCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'vnet --help'");
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Interrupts.handleSignals();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams; returns the exit code.
     *
     * @param args the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit code: 0 on success, 1 on a runtime failure, 2 on a usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new CommandLine(new Cli()), args, out, err);
    }

    /** Runs {@code cl}, the {@code vnet} command line or one a test has added a command to; returns the exit code. */
    static int run(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        // A wrong --preset, --layout or --activation is a usage error that lists the valid values, in any case.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        showDefaultsAndVersion(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> usageError(ex.getCommandLine(), ex.getMessage(), err));
        cl.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult p = parsed;
            while (p.subcommand() != null) {
                p = p.subcommand();
            }
            Interrupts.running(p.commandSpec().commandLine());
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> ex instanceof UserError.BadValue
                ? usageError(cmd, ex.getMessage(), err) : failed(cmd, ex, err));
        try {
            return execute(cl, args, err);
        } finally {
            OutputFiles.releaseLocks();
        }
    }

    private static int execute(CommandLine cl, String[] args, PrintWriter err) {
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler: an Error (out of memory, stack overflow) ends up here.
            CommandLine cmd = cl;
            for (CommandLine.ParseResult p = cl.getParseResult(); p != null; p = p.subcommand()) {
                cmd = p.commandSpec().commandLine();
            }
            return failed(cmd, e, err);
        }
    }

    /** Every command's --help shows the default values, and its --version the build's version. */
    private static void showDefaultsAndVersion(CommandLine cl) {
        cl.getCommandSpec().usageMessage().showDefaultValues(true);
        cl.getCommandSpec().versionProvider(new BuildVersion());
        cl.getSubcommands().values().forEach(Cli::showDefaultsAndVersion);
    }

    /** {@code vnet --version}: the version the build wrote into {@code version.properties}. */
    static final class BuildVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing next to " + Cli.class.getName());
                }
                p.load(in);
            }
            return new String[] {"vnet " + p.getProperty("version")};
        }
    }

    // A wrong command line, or an option value out of range: exit code 2.
    private static int usageError(CommandLine cmd, String message, PrintWriter err) {
        err.println(qualified(cmd) + ": " + message + " (see '" + qualified(cmd) + " --help')");
        return 2;
    }

    private static int failed(CommandLine cmd, Throwable ex, PrintWriter err) {
        if (shuttingDown()) {
            // A signal (SIGINT, SIGTERM) ends the JVM: its hooks delete the temporary files of writes under way, so
            // the work fails for that reason alone; the signal's line says what happened.
            return Interrupts.EXIT_CODE;
        }
        String m = message(ex);
        if (ex instanceof OutOfMemoryError) {
            m += cmd.getCommandSpec().findOption("--size") != null && cmd.getCommandSpec().findOption("--batch") != null
                    ? " (use a smaller --size or --batch, or give java more -Xmx)" : " (give java more -Xmx)";
        }
        err.println(qualified(cmd) + ": " + m);
        if (Boolean.getBoolean("vnet.stacktrace")) {
            ex.printStackTrace(err);
        }
        return 1;
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static String qualified(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName() : "vnet " + cmd.getCommandName();
    }

    /** A one-line description of a failure. */
    static String message(Throwable e) {
        Throwable t = e;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            t = u.getCause();
        }
        if (t instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (t instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        if (t instanceof OutOfMemoryError) {
            m = "out of memory: " + m;
        }
        return readable(m.strip().replaceAll("\\s*[\r\n]+\\s*", "; "));
    }

    // A class name that a wrapped exception's toString() put in front of its message.
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");
    // Gson's advice to programmers: where to read about its errors and how to make its parser lenient.
    private static final Pattern GSON_ADVICE = Pattern.compile(
            "\\s*(?:See https://github\\.com/google/gson/\\S*|Use JsonReader\\.set(?:Lenient|Strictness)\\([^)]*\\) to accept "
                    + "malformed JSON)");

    /** {@code message} without what is meant for programmers: Java class names and a library's troubleshooting links. */
    static String readable(String message) {
        String m = CLASS_PREFIX.matcher(message).replaceAll("");
        return GSON_ADVICE.matcher(m).replaceAll("").strip();
    }
}
