package io.trims.protocol;

/**
 * A request's deadline as the {@value #HEADER} header gives it: milliseconds from its arrival, read the same way by
 * the front door (which sends on what is left) and the agent.
 */
public final class RequestDeadline {

    public static final String HEADER = "trims-deadline-ms";
    /** No deadline, as a {@link System#nanoTime} instant. */
    public static final long NONE = Long.MAX_VALUE;

    private RequestDeadline() {
    }

    /**
     * The {@link System#nanoTime} instant {@code header} names, counted from {@code arrivedNanos}; {@link #NONE} for
     * no header. A value that is not a whole number of milliseconds, or is negative, is a 400.
     */
    public static long of(String header, long arrivedNanos) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        long ms;
        try {
            ms = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw V2Exception.badRequest(HEADER + " must be a whole number of milliseconds, got '" + header + "'");
        }
        if (ms < 0) {
            throw V2Exception.badRequest(HEADER + " must not be negative, got " + ms);
        }
        return after(arrivedNanos, ms);
    }

    /** {@code ms} after {@code arrivedNanos}, bounded so that the sum never overflows. */
    public static long after(long arrivedNanos, long ms) {
        return arrivedNanos + Math.min(ms, Long.MAX_VALUE / 4_000_000) * 1_000_000;
    }
}
