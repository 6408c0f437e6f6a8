package io.trims.placement;

import io.trims.policy.placement.Placement;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.client.HttpResponse;

/** An agent's answer to a forwarded request and the placement that chose the agent. */
record Routed(Placement placement, HttpResponse<Buffer> answer) {

    static final String HOST_HEADER = "trims-host";
    static final String TIER_HEADER = "trims-tier";
    static final String PLACEMENT_HEADER = "trims-placement";

    int status() {
        return answer.statusCode();
    }

    /** Passes the agent's status and body through, with where it ran and where placement expected it to. */
    void writeTo(HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        String contentType = answer.getHeader("content-type");
        if (contentType != null) {
            response.putHeader("content-type", contentType);
        }
        String host = answer.getHeader(HOST_HEADER);
        response.putHeader(HOST_HEADER, host != null ? host : placement.host());
        String tier = answer.getHeader(TIER_HEADER);
        if (tier != null) {
            response.putHeader(TIER_HEADER, tier);
        }
        response.putHeader(PLACEMENT_HEADER, placement.expectedTier());
        Buffer body = answer.body();
        response.end(body == null ? Buffer.buffer() : body);
    }
}
