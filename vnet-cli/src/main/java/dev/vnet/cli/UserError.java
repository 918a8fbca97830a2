package dev.vnet.cli;

import java.util.function.IntSupplier;

/** A mistake in what the user asked for: printed as one line, without a stack trace; exit code 1. */
class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }

    /**
     * A value of an option that the command cannot take (out of range, malformed): printed as picocli prints its
     * own usage errors, with exit code 2.
     */
    static final class BadValue extends UserError {
        BadValue(String message) {
            super(message);
        }

        /**
         * {@return the value a check of options returns, e.g. one of {@link dev.vnet.io.Limits}}
         *
         * @param check the check, which throws an {@link IllegalArgumentException} naming the option
         * @throws BadValue with the check's message
         */
        static int checked(IntSupplier check) {
            try {
                return check.getAsInt();
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }

        /**
         * Runs a check of options.
         *
         * @param check the check, which throws an {@link IllegalArgumentException} naming the option
         * @throws BadValue with the check's message
         */
        static void check(Runnable check) {
            checked(() -> {
                check.run();
                return 0;
            });
        }
    }
}
