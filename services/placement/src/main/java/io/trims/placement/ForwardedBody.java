package io.trims.placement;

import io.trims.protocol.InferBody;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * An infer request's body as it came, and the headers that say how to read it, which go with it to the agent:
 * content-type and {@value InferBody#HEADER_LENGTH} (the binary tensor data extension). A compressed body was
 * inflated by the server already, so its Content-Encoding does not go along.
 */
record ForwardedBody(Buffer bytes, MultiMap headers) {

    static ForwardedBody of(HttpServerRequest request, Buffer received) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        String contentType = request.getHeader("content-type");
        headers.set("content-type", contentType != null ? contentType : InferBody.JSON);
        String headerLength = request.getHeader(InferBody.HEADER_LENGTH);
        if (headerLength != null) {
            headers.set(InferBody.HEADER_LENGTH, headerLength);
        }
        return new ForwardedBody(received == null ? Buffer.buffer() : received, headers);
    }
}
