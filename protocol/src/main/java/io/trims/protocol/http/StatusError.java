package io.trims.protocol.http;

/** A failure that knows the HTTP status telling a client why; {@link HttpErrors} answers it with its message. */
public interface StatusError {
    int status();
}
