package io.trims.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.trims.protocol.http.DirectoryMeters;
import io.trims.agent.api.AgentHttpVerticle;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.CopiesElsewhere;
import io.trims.policy.eviction.EvictionContext;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.gpu.GpuInfo;
import io.trims.gpu.GpuProbe;
import io.trims.agent.residency.AgentMetrics;
import io.trims.agent.residency.ClusterCopies;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.StoreProbe;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.objectstore.ObjectStore;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.GpuBackend;
import io.trims.agent.tier.GpuBackends;
import io.trims.agent.tier.GpuBudget;
import io.trims.agent.tier.GpuTier;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.directory.CatalogueView;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierLevel;
import io.trims.protocol.http.Drain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * One host's agent: its tiers, the residency manager that moves models between them and publishes to the
 * directory, and its v2 HTTP API. Several agents may run in one JVM (the embedded cluster, tests), each with its
 * own host name, port and cache directory.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final Vertx vertx;
    private final AgentConfig config;
    private final GpuInfo gpu;
    private final ModelResidency residency;
    private final CatalogueView catalogue;
    private final ClusterCopies copies;
    private final StoreProbe probe;
    private final AgentHttpVerticle http;
    private String deployment;
    private String endpoint;
    private Future<Void> stopped;

    private Agent(Vertx vertx, AgentConfig config, GpuInfo gpu, ModelResidency residency, CatalogueView catalogue,
                  ClusterCopies copies, StoreProbe probe, AgentHttpVerticle http) {
        this.vertx = vertx;
        this.config = config;
        this.gpu = gpu;
        this.residency = residency;
        this.catalogue = catalogue;
        this.copies = copies;
        this.probe = probe;
        this.http = http;
    }

    /**
     * Builds the tiers (indexing the cache directory), starts the HTTP API, then publishes the host and its cached
     * models. The future fails if any step does (a taken port, an unusable cache directory); object storage being
     * down is not one of them: the agent serves what its disk holds and readiness says the store is unreachable.
     */
    public static Future<Agent> start(Vertx vertx, AgentConfig config, TierDirectory directory, ObjectStore store,
                                      MeterRegistry registry) {
        return vertx.executeBlocking(() -> {
            // Every tier's policy and the spare-copy check read what other hosts hold from memory, kept by events.
            ClusterCopies copies = ClusterCopies.open(directory, config.host());
            try {
                // One clock for every tier and the use history; the simulator passes its own.
                Ticker ticker = Ticker.system();
                GpuInfo gpu = GpuProbe.probe();
                GpuTier gpuTier = gpuTier(config, gpu, evictionPolicy(config, TierLevel.GPU, ticker, copies), ticker);
                DiskTier disk = new DiskTier(config.cacheDir(), config.diskBudgetBytes(),
                        evictionPolicy(config, TierLevel.DISK, ticker, copies), ticker);
                CpuTier cpu = new CpuTier(config.cpuBudgetBytes(), evictionPolicy(config, TierLevel.CPU, ticker, copies),
                        new OnnxCpuRuntime(config.ortIntraThreads()), ticker);
                ModelResidency residency = new ModelResidency(vertx, config.host(), directory, store,
                        config.store().retry(), disk, cpu, gpuTier, new PromotionPolicy(config.gpu().promoteAfter(), config.gpu().promoteWindowMs()),
                        new AgentMetrics(registry, config.host()), config.loadThreads());
                if (config.spareCopyIdleMs() > 0) {
                    residency.giveBackSpareCopies(copies, config.spareCopyIdleMs());
                }
                StoreProbe probe = new StoreProbe(vertx, store, config.store().probeMillis());
                residency.metrics().watchStore(probe);
                CatalogueView catalogue = CatalogueView.open(directory);
                DirectoryMeters.bind(registry, directory);
                AgentHttpVerticle http = new AgentHttpVerticle(config.bindAddress(), config.port(),
                        config.maxRequestBytes(), config.inferenceThreads(), directory, catalogue, residency, probe,
                        registry, config.admission(), config.http());
                return new Agent(vertx, config, gpu, residency, catalogue, copies, probe, http);
            } catch (Exception e) {
                copies.close();
                throw e;
            }
        }, false).compose(Agent::begin);
    }

    /**
     * The GPU tier, or null: when disabled, when no GPU was found, or when this build has no executor for it.
     * Its budget is taken from the device's free memory now, after the executor's context exists.
     *
     * @throws IllegalStateException when TRIMS_GPU_ENABLED=true and no GPU tier can be built
     */
    private static GpuTier gpuTier(AgentConfig config, GpuInfo gpu, EvictionPolicy policy, Ticker ticker) {
        GpuSettings settings = config.gpu();
        if (!settings.allowed()) {
            LOG.info("agent {}: GPU tier disabled (TRIMS_GPU_ENABLED=false)", config.host());
            return null;
        }
        Optional<GpuBackend> backend;
        String why = gpu.reason();
        try {
            backend = GpuBackends.open(gpu);
        } catch (RuntimeException e) {
            // A device the executor cannot start on (e.g. its PTX does not load): serve from the CPU in auto mode.
            backend = Optional.empty();
            why = "the GPU executor cannot start on " + gpu.name() + ": " + e.getMessage();
        }
        if (backend.isEmpty()) {
            if (settings.required()) {
                throw new IllegalStateException("TRIMS_GPU_ENABLED=true but there is no GPU tier: " + why);
            }
            LOG.info("agent {}: no GPU tier ({})", config.host(), why);
            return null;
        }
        long free = backend.get().freeBytes();
        long budget = GpuBudget.of(free, settings.budgetBytes(), settings.headroomBytes());
        LOG.info("agent {}: GPU tier on {} with a budget of {} bytes ({} free at start)", config.host(),
                backend.get().deviceName(), budget, free);
        return new GpuTier(budget, policy, backend.get(), ticker);
    }

    /** The configured eviction policy, built for one tier of this host. */
    private static EvictionPolicy evictionPolicy(AgentConfig config, TierLevel tier, Ticker ticker,
                                                 CopiesElsewhere copies) {
        return EvictionPolicies.byName(config.evictionPolicy(), new EvictionContext(tier, ticker, copies));
    }

    private Future<Agent> begin() {
        return vertx.deployVerticle(http)
                .compose(id -> {
                    deployment = id;
                    endpoint = "http://" + config.advertiseAddress() + ":" + http.actualPort();
                    return residency.start(endpoint);
                })
                .map(v -> {
                    probe.start();
                    http.markReady(true);
                    LOG.info("agent {} serving at {} (cpu {} bytes, disk {} bytes at {}, gpu {})", config.host(), endpoint,
                            config.cpuBudgetBytes(), config.diskBudgetBytes(), config.cacheDir(),
                            gpu.present() ? gpu.name() : "absent");
                    return this;
                })
                .recover(e -> stop().transform(ignored -> Future.failedFuture(e)));
    }

    public String host() {
        return config.host();
    }

    /** Base URL of the v2 API as placement reaches it, e.g. {@code http://127.0.0.1:8081}. */
    public String endpoint() {
        return endpoint;
    }

    public int port() {
        return http.actualPort();
    }

    public AgentConfig config() {
        return config;
    }

    public GpuInfo gpu() {
        return gpu;
    }

    public ModelResidency residency() {
        return residency;
    }

    /** {@link #stop(Duration)} with no grace: requests under way are cut. */
    public Future<Void> stop() {
        return stop(Duration.ZERO);
    }

    /**
     * Stops in the order that never closes a session in use: refuses new requests (503) and withdraws this host from
     * the directory, so placement sends them elsewhere; lets the requests under way finish, at most {@code grace};
     * stops the HTTP API; waits for loads under way and for requests still holding a model; only then closes every
     * session and the GPU tier. The files stay on disk.
     */
    public synchronized Future<Void> stop(Duration grace) {
        if (stopped == null) {
            long start = System.nanoTime();
            http.markReady(false);
            probe.close();
            http.drain().begin();
            stopped = residency.withdraw()
                    .transform(withdrawn -> http.drain().awaitIdle(vertx, grace))
                    .compose(left -> {
                        if (left > 0) {
                            LOG.warn("agent {}: {} requests still under way after the {} s grace; stopping anyway",
                                    config.host(), left, grace.toSeconds());
                        }
                        return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
                    })
                    .eventually(() -> Drain.until(vertx, residency::inFlight, grace.plusSeconds(5)))
                    .eventually(() -> residency.stop(grace.plusSeconds(30)))
                    .eventually(() -> vertx.executeBlocking(() -> {
                        catalogue.close();
                        copies.close();
                        return null;
                    }, false))
                    .onComplete(done -> LOG.info("agent {} stopped in {} ms", config.host(),
                            (System.nanoTime() - start) / 1_000_000));
        }
        return stopped;
    }
}
