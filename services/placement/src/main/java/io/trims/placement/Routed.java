package io.trims.placement;

import io.trims.policy.placement.Estimate;
import io.trims.policy.placement.Placement;

import io.trims.protocol.InferBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Locale;

/**
 * An agent's answer to a forwarded request, the placement that chose the agent, and what the cost model predicted
 * for it there.
 */
record Routed(Placement placement, Estimate predicted, AgentAnswer answer) {

    static final String HOST_HEADER = "trims-host";
    static final String TIER_HEADER = "trims-tier";
    static final String PLACEMENT_HEADER = "trims-placement";
    static final String PREDICTED_HEADER = "trims-predicted-ms";
    /**
     * The agent's headers that say how to read its body (binary tensor data extension) and when to try again (a
     * 429's Retry-After), passed back as they are.
     */
    private static final List<String> PASSED_BACK = List.of("content-type", InferBody.HEADER_LENGTH, "retry-after");

    int status() {
        return answer.statusCode();
    }

    /**
     * Passes the agent's status, body and the headers that say how to read the body through, with where it ran,
     * where placement expected it to, and the predicted time from forwarding to answer.
     */
    void writeTo(HttpServerResponse response) {
        if (response.closed()) {
            return;
        }
        response.setStatusCode(answer.statusCode());
        for (String passed : PASSED_BACK) {
            String value = answer.header(passed);
            if (value != null) {
                response.putHeader(passed, value);
            }
        }
        String host = answer.header(HOST_HEADER);
        response.putHeader(HOST_HEADER, host != null ? host : placement.host());
        String tier = answer.header(TIER_HEADER);
        if (tier != null) {
            response.putHeader(TIER_HEADER, tier);
        }
        response.putHeader(PLACEMENT_HEADER, placement.expectedTier());
        response.putHeader(PREDICTED_HEADER, String.format(Locale.ROOT, "%.3f", predicted.totalMillis()));
        Buffer body = answer.body();
        response.end(body == null ? Buffer.buffer() : body);
    }
}
