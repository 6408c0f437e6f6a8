package io.trims.placement;

import io.trims.policy.placement.Placement;

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

    private final WebClient client;
    private final long timeoutMs;
    private final String agentKey;

    /** @param agentKey what agents take as proof that a call comes from inside the cluster */
    Forwarder(Vertx vertx, long timeoutMs, String agentKey) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setUserAgent("trims-placement"), new PoolOptions().setHttp1MaxSize(64));
        this.timeoutMs = timeoutMs;
        this.agentKey = agentKey;
    }

    /**
     * Fails when no answer came back at all: the host refused the connection, closed or reset it mid-request, or
     * stayed silent past the timeout (a {@link java.util.concurrent.TimeoutException}).
     */
    Future<HttpResponse<Buffer>> infer(Placement placement, ModelId model, ForwardedBody body) {
        String url = TRAILING_SLASHES.matcher(placement.endpoint()).replaceAll("")
                + "/v2/models/" + segment(model.name()) + "/versions/" + segment(model.version()) + "/infer";
        return client.postAbs(url)
                .timeout(timeoutMs)
                .putHeaders(body.headers())
                .putHeader(RecordSigner.AGENT_KEY_HEADER, agentKey)
                .sendBuffer(body.bytes());
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        client.close();
    }
}
