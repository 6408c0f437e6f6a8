package io.trims.placement;

import io.trims.policy.placement.Placement;
import io.trims.protocol.RequestDeadline;

import io.trims.directory.ModelId;
import io.trims.directory.RecordSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Sends a raw v2 infer body, with the headers that say how to read it, to the agent a placement names and hands
 * back the agent's answer untouched. When the client goes before the answer, the forward is cut (its connection
 * closed), so that the agent drops the request from its queue instead of running it for no one.
 */
final class Forwarder implements AutoCloseable {

    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    /** Milliseconds left of the request's deadline when it is forwarded; the agent reads it from its own arrival. */
    static final String DEADLINE_HEADER = RequestDeadline.HEADER;

    private final HttpClient client;
    private final String agentKey;

    /** @param agentKey what agents take as proof that a call comes from inside the cluster */
    Forwarder(Vertx vertx, String agentKey) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(64));
        this.agentKey = agentKey;
    }

    /**
     * Fails when no answer came back at all: the host refused the connection, closed or reset it mid-request, or
     * stayed silent past {@code timeoutMs} (a {@link java.util.concurrent.TimeoutException}), or the forward was
     * cut because {@code clientGone} completed.
     *
     * @param remainingMs what is left of the request's deadline, sent along; {@link Long#MAX_VALUE} when it has none
     * @param clientGone  completes when the client has closed its connection; the forward is then reset
     */
    Future<AgentAnswer> infer(Placement placement, ModelId model, ForwardedBody body, long timeoutMs, long remainingMs,
                              Future<Void> clientGone) {
        String url = TRAILING_SLASHES.matcher(placement.endpoint()).replaceAll("")
                + "/v2/models/" + segment(model.name()) + "/versions/" + segment(model.version()) + "/infer";
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                // Bounds the wait for a pooled connection too, not only the silence after sending.
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .putHeader("user-agent", "trims-placement")
                .putHeader(RecordSigner.AGENT_KEY_HEADER, agentKey);
        body.headers().forEach(options::putHeader);
        if (remainingMs != Long.MAX_VALUE) {
            options.putHeader(DEADLINE_HEADER, Long.toString(remainingMs));
        }
        return client.request(options).compose(request -> {
            clientGone.onComplete(gone -> request.reset());
            return request.send(body.bytes());
        }).compose(response -> response.body()
                .map(bytes -> new AgentAnswer(response.statusCode(), response.headers(), bytes)));
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        client.close();
    }
}
