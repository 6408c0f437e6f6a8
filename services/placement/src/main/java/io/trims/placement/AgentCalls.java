package io.trims.placement;

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
 * The agents' repository endpoints, as the front door calls them: load a version into a host's memory, or let it go
 * from every tier of a host. Rare operator calls, so a small pool of their own, apart from the infer forwarder's.
 */
final class AgentCalls implements AutoCloseable {

    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    private final WebClient client;
    private final long timeoutMs;
    private final String agentKey;

    /** @param agentKey what agents take as proof that a call comes from inside the cluster */
    AgentCalls(Vertx vertx, long timeoutMs, String agentKey) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setUserAgent("trims-placement"), new PoolOptions().setHttp1MaxSize(8));
        this.timeoutMs = timeoutMs;
        this.agentKey = agentKey;
    }

    /** Fails when no answer came: refused, reset, or silent past the timeout (a TimeoutException). */
    Future<HttpResponse<Buffer>> load(String endpoint, ModelId model) {
        return post(endpoint, model, "load");
    }

    /** As {@link #load}: the host lets the version go from its memory and disk tiers. */
    Future<HttpResponse<Buffer>> unload(String endpoint, ModelId model) {
        return post(endpoint, model, "unload");
    }

    long timeoutMs() {
        return timeoutMs;
    }

    private Future<HttpResponse<Buffer>> post(String endpoint, ModelId model, String action) {
        String url = TRAILING_SLASHES.matcher(endpoint).replaceAll("") + "/v2/repository/models/"
                + segment(model.name()) + "/versions/" + segment(model.version()) + "/" + action;
        return client.postAbs(url).timeout(timeoutMs).putHeader(RecordSigner.AGENT_KEY_HEADER, agentKey).send();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        client.close();
    }
}
