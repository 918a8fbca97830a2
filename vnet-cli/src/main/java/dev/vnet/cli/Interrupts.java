package dev.vnet.cli;

import dev.vnet.train.InterruptCheckpoint;
import dev.vnet.train.RunBuilder;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM end a command with exit code 130 and one line on stderr, after the shutdown hooks have
 * deleted the temporary files of writes under way (and a training run has saved its weights). The JVM's own handler
 * would exit with 128 + the signal's number (143 for SIGTERM).
 */
final class Interrupts {
    /** The exit code of an interrupted command. */
    static final int EXIT_CODE = 130;

    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();
    private static volatile CommandLine command;

    private Interrupts() {}

    /** Handles SIGINT and SIGTERM for the rest of the JVM's life; call it once, from {@code main}. */
    static void handleSignals() {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), Interrupts::interrupted);
        }
    }

    /** The command that runs now, named in the line an interrupt prints. */
    static void running(CommandLine cmd) {
        command = cmd;
    }

    /**
     * {@return {@code trainer} saving its weights on an interrupt, and saying so instead of the generic line: while
     * its steps run, its {@link InterruptCheckpoint} prints the line}
     *
     * @param trainer the builder of the segmentation or of the cell classifier's trainer
     */
    static <B extends RunBuilder<B>> B savingWeights(B trainer) {
        return trainer.saveOnInterrupt(true);
    }

    private static void interrupted(Signal signal) {
        if (!SIGNALLED.compareAndSet(false, true)) {
            return; // a second signal while the hooks run: the first one's exit stands
        }
        if (!InterruptCheckpoint.armed()) {
            CommandLine cmd = command;
            String name = cmd == null ? "vnet" : cmd.getCommandSpec().qualifiedName();
            String next = has(cmd, "--resume") ? " (--resume to continue a run that completed an epoch)"
                    : has(cmd, "--force") ? " (--force to write over what it finished)" : "";
            System.err.println(name + ": interrupted by SIG" + signal.getName() + ": the files it was writing are deleted,"
                    + " those it finished are kept; run the command again to redo its work" + next);
        }
        System.exit(EXIT_CODE);
    }

    private static boolean has(CommandLine cmd, String option) {
        return cmd != null && cmd.getCommandSpec().findOption(option) != null;
    }
}
