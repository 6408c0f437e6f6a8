package io.trims.placement;

import io.trims.policy.placement.Placement;
import io.trims.protocol.RequestDeadline;

import io.trims.directory.ModelId;
import io.trims.directory.RecordSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Sends a raw v2 infer body, with the headers that say how to read it, to the agent a placement names and hands
 * back the agent's answer untouched.
 */
final class Forwarder implements AutoCloseable {

    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    /** Milliseconds left of the request's deadline when it is forwarded; the agent reads it from its own arrival. */
    static final String DEADLINE_HEADER = RequestDeadline.HEADER;

    private final WebClient client;
    private final String agentKey;

    /** @param agentKey what agents take as proof that a call comes from inside the cluster */
    Forwarder(Vertx vertx, String agentKey) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setUserAgent("trims-placement"), new PoolOptions().setHttp1MaxSize(64));
        this.agentKey = agentKey;
    }

    /**
     * Fails when no answer came back at all: the host refused the connection, closed or reset it mid-request, or
     * stayed silent past {@code timeoutMs} (a {@link java.util.concurrent.TimeoutException}).
     *
     * @param remainingMs what is left of the request's deadline, sent along; {@link Long#MAX_VALUE} when it has none
     */
    Future<HttpResponse<Buffer>> infer(Placement placement, ModelId model, ForwardedBody body, long timeoutMs,
                                       long remainingMs) {
        String url = TRAILING_SLASHES.matcher(placement.endpoint()).replaceAll("")
                + "/v2/models/" + segment(model.name()) + "/versions/" + segment(model.version()) + "/infer";
        var request = client.postAbs(url).timeout(timeoutMs).putHeaders(body.headers())
                .putHeader(RecordSigner.AGENT_KEY_HEADER, agentKey);
        if (remainingMs != Long.MAX_VALUE) {
            request.putHeader(DEADLINE_HEADER, Long.toString(remainingMs));
        }
        return request.sendBuffer(body.bytes());
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        client.close();
    }
}
