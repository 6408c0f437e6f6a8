package io.trims.agent.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trims.protocol.http.Drain;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.Metrics;
import io.trims.protocol.http.NotAForm;
import io.trims.protocol.http.ServerTimeouts;
import io.trims.agent.admission.AdmissionLimits;
import io.trims.agent.admission.RunQueue;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.StoreProbe;
import io.trims.directory.CatalogueView;
import io.trims.directory.RecordSigner;
import io.trims.directory.TierDirectory;
import io.trims.protocol.ModelLookup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The agent's own KServe v2 REST API, so an agent can be called directly as well as through placement:
 * health, model metadata and readiness, inference, loading and unloading a model on this host
 * ({@link RepositoryRoutes}), and {@code /metrics} when the registry is a Prometheus one. Health and metrics are
 * open; the rest answers only callers presenting the cluster's agent key ({@link RecordSigner#agentKey()}).
 */
public final class AgentHttpVerticle extends VerticleBase {

    private final String bindAddress;
    private final int port;
    private final long maxRequestBytes;
    private final int inferenceThreads;
    private final TierDirectory directory;
    private final CatalogueView catalogue;
    private final ModelResidency residency;
    private final StoreProbe store;
    private final MeterRegistry registry;
    private final Drain drain;
    private final AdmissionLimits admission;
    private final ServerTimeouts timeouts;
    private volatile boolean ready;
    private WorkerExecutor inference;
    private HttpServer server;

    /**
     * @param bindAddress the address to listen on; 0.0.0.0 listens on every interface
     * @param admission   what the run queue in front of the inference workers takes on
     * @param timeouts    how long the server waits on a client
     */
    public AgentHttpVerticle(String bindAddress, int port, long maxRequestBytes, int inferenceThreads, TierDirectory directory,
                             CatalogueView catalogue, ModelResidency residency, StoreProbe store,
                             MeterRegistry registry, AdmissionLimits admission, ServerTimeouts timeouts) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.maxRequestBytes = maxRequestBytes;
        this.inferenceThreads = inferenceThreads;
        this.directory = directory;
        this.catalogue = catalogue;
        this.residency = residency;
        this.store = store;
        this.registry = registry;
        this.admission = admission;
        this.timeouts = timeouts;
        this.drain = new Drain("agent " + residency.host());
    }

    /** The requests in flight; its {@link Drain#begin} makes every new one a 503 (the agent is stopping). */
    public Drain drain() {
        return drain;
    }

    /** The port it listens on (the chosen one when asked for port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** Ready answers 200 from here on (once the host is published). */
    public void markReady(boolean ready) {
        this.ready = ready;
    }

    @Override
    public Future<?> start() {
        inference = vertx.createSharedWorkerExecutor("trims-inference-" + residency.host(), inferenceThreads);
        residency.statistics().concurrency(inferenceThreads);
        ModelRoutes models = new ModelRoutes(new ModelLookup(vertx, catalogue, directory), residency);
        RunQueue queue = new RunQueue(inference, inferenceThreads, admission,
                kind -> residency.metrics().rejected(kind.label()));
        residency.metrics().watchQueue(queue::held, queue::waiting);
        InferHandler infer = new InferHandler(models, residency, inference, queue);

        Router router = Router.router(vertx);
        drain.mount(router);
        TierErrors.install(router);
        HttpErrors.install(router);
        router.get("/v2/health/live").handler(ctx -> ModelRoutes.json(ctx, 200, new JsonObject().put("live", true)));
        // Ready without the store: the agent serves what its disk and memory hold, and says the store is away.
        router.get("/v2/health/ready").handler(ctx -> ModelRoutes.json(ctx, ready ? 200 : 503,
                new JsonObject().put("ready", ready).put("object_store", new JsonObject()
                        .put("reachable", store.reachable()).put("detail", store.detail()))));
        // Everything else under /v2 (metadata, inference, load and unload) is placement's to call, not a stranger's.
        router.route("/v2/*").handler(this::requireClusterKey);
        router.get("/v2/models/:model").handler(models::metadata);
        router.get("/v2/models/:model/versions/:version").handler(models::metadata);
        router.get("/v2/models/:model/ready").handler(models::ready);
        router.get("/v2/models/:model/versions/:version/ready").handler(models::ready);
        Handler<RoutingContext> body = NotAForm.then(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
        router.post("/v2/models/:model/infer").handler(infer::admit).handler(body).handler(infer::handle);
        router.post("/v2/models/:model/versions/:version/infer").handler(infer::admit).handler(body).handler(infer::handle);
        new RepositoryRoutes(models, residency).mount(router);
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            Metrics.mount(router, prometheus);
        }
        // gzip/deflate request bodies are inflated before BodyHandler (its limit counts inflated bytes), and answers
        // are compressed for a client whose Accept-Encoding asks for it.
        return timeouts.server(vertx, new HttpServerOptions().setPort(port).setHost(bindAddress)
                        .setDecompressionSupported(true).setCompressionSupported(true), router)
                .listen()
                .onSuccess(s -> server = s);
    }

    private void requireClusterKey(RoutingContext ctx) {
        if (directory.signer().isAgentKey(ctx.request().getHeader(RecordSigner.AGENT_KEY_HEADER))) {
            ctx.next();
        } else {
            HttpErrors.fail(ctx, 401, "an agent answers placement only: the " + RecordSigner.AGENT_KEY_HEADER
                    + " header is missing or wrong; send requests to the front door");
        }
    }

    @Override
    public Future<?> stop() {
        ready = false;
        return (server == null ? Future.succeededFuture() : server.close())
                .eventually(() -> inference.close());
    }
}
