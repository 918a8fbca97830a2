package dev.vnet.serve;

/** A request the server answers with an HTTP error status and one message, as JSON. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    /** Seconds a client should wait before trying again, or 0 to say nothing ({@code Retry-After}). */
    final long retryAfterSeconds;

    ApiError(int status, String message) {
        this(status, message, 0);
    }

    ApiError(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
