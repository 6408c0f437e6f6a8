package io.trims.agent.admission;

/**
 * Why a request was not taken on or not run, in the queue's words; the HTTP edge turns each {@link Kind} into a
 * status.
 */
public final class AdmissionException extends RuntimeException {

    /** The ways admission ends a request other than by running it. */
    public enum Kind {
        /** The agent holds as many requests (or bytes) as it may, in total or for the model; retry later or elsewhere. */
        QUEUE_FULL("queue_full"),
        /** The request's deadline passed before it could run. */
        DEADLINE_PASSED("deadline"),
        /** The client closed its connection while the request waited. */
        CLIENT_GONE("client_gone"),
        /** The request, or the answer it would get, is larger than one request may be. */
        TOO_LARGE("too_large");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The reason label of {@code trims_requests_rejected_total}. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;

    AdmissionException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static AdmissionException tooLarge(String message) {
        return new AdmissionException(Kind.TOO_LARGE, message);
    }
}
