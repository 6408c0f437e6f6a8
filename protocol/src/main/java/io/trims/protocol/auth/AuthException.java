package io.trims.protocol.auth;

import io.trims.protocol.http.StatusException;

/** A request the gate turns away: 401 (no or a bad key), 403 (the key's role may not), 429 (over its quota). */
public final class AuthException extends StatusException {

    private final long retryAfterSeconds;

    private AuthException(int status, String message, long retryAfterSeconds) {
        super(status, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static AuthException unauthenticated(String message) {
        return new AuthException(401, message, 0);
    }

    static AuthException forbidden(String message) {
        return new AuthException(403, message, 0);
    }

    public static AuthException overQuota(String message, long retryAfterSeconds) {
        return new AuthException(429, message, retryAfterSeconds);
    }

    /** Seconds a 429 asks the client to wait; 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
