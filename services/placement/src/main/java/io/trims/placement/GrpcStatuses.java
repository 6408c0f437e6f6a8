package io.trims.placement;

import io.grpc.Status;
import io.trims.protocol.http.StatusError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC edge's one place where an outcome becomes a status code: the HTTP status trims chose inside (a
 * {@link StatusError}, an agent's answer) maps to the gRPC code a client of the v2 protocol expects, and the message
 * trims wrote travels with it. A fault trims did not describe is INTERNAL with a message of ours; its own text is
 * only logged.
 */
final class GrpcStatuses {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatuses.class);

    private GrpcStatuses() {
    }

    /** The gRPC code for an HTTP status trims answers with. */
    static Status.Code codeOf(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            // Too large (413, as grpc-java itself answers an oversized message), too many (429), no room in any
            // tier (507): the request may fit later or smaller.
            case 413, 429, 507 -> Status.Code.RESOURCE_EXHAUSTED;
            // The model cannot be loaded as registered: retrying the same request will not help.
            case 422 -> Status.Code.FAILED_PRECONDITION;
            // No live host (503), or the chosen host and the retry failed or object storage had no good copy (502).
            case 502, 503 -> Status.Code.UNAVAILABLE;
            case 504 -> Status.Code.DEADLINE_EXCEEDED;
            default -> Status.Code.INTERNAL;
        };
    }

    /** A failure of the future behind an RPC, as the status the client gets. */
    static Status of(Throwable failure, String rpc) {
        if (failure instanceof StatusError e && failure.getMessage() != null) {
            return withMessage(e.status(), failure.getMessage(), rpc);
        }
        LOG.error("gRPC {} failed", rpc, failure);
        return Status.INTERNAL.withDescription(rpc + " failed inside the front door; see its log");
    }

    /**
     * An agent's (or the router's) error answer as a status. The message of a 5xx that is not one of the outcomes
     * trims names (no host, no room, a timeout...) may be a runtime's own text, so it is replaced by ours.
     */
    static Status withMessage(int httpStatus, String message, String rpc) {
        Status.Code code = codeOf(httpStatus);
        if (code == Status.Code.INTERNAL) {
            LOG.warn("gRPC {} failed with HTTP status {}: {}", rpc, httpStatus, message);
            return Status.INTERNAL.withDescription(rpc + " failed (status " + httpStatus + "); see the log of the "
                    + "front door and the agent");
        }
        return Status.fromCode(code).withDescription(message);
    }
}
