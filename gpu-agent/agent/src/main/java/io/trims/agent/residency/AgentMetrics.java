package io.trims.agent.residency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.trims.agent.tier.DiskTier;
import io.trims.agent.tier.Tier;
import io.trims.directory.TierLevel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The agent's meters. Names are given in Micrometer's dotted form; the Prometheus registry renders them as
 * {@code trims_tier_hits_total}, {@code trims_load_duration_seconds} and so on. Every meter carries the host tag.
 *
 * <p>Every counter and timer exists from the start for the label values known then (each tier, each load source,
 * each promotion outcome), at 0: a rate or ratio over them is 0 before the first event, not an absent series.
 * Promotions are counted on every host, at 0 on one without a GPU tier, so an alert on failed promotions watches a
 * series everywhere.
 */
public final class AgentMetrics implements AutoCloseable {

    /** Where a loaded model's file came from: this host's disk tier or object storage. */
    private static final List<String> LOAD_SOURCES = List.of("disk", "remote");
    /** How a promotion attempt ended; see {@link #promotion}. */
    private static final List<String> PROMOTION_OUTCOMES = List.of("promoted", "busy", "refused", "failed");
    /** Why a fetch from object storage failed; see {@link #fetchFailed}. */
    private static final List<String> FETCH_FAILURES = List.of("missing", "corrupt", "unavailable", "disk_full", "error");
    /** Why an infer request was refused or dropped unrun; the labels of {@code AdmissionException.Kind}. */
    private static final List<String> REJECT_REASONS = List.of("queue_full", "deadline", "client_gone", "too_large");

    private static final String HITS = "Requests that found their model in a tier";
    private static final String MISSES = "Requests that did not find their model in a tier";
    private static final String EVICTIONS = "Models demoted out of a tier";
    private static final String SPARE_DROPPED = "Idle extra copies given back while another host keeps the model";
    private static final String LOADS = "Models loaded into memory, by where the file came from";
    private static final String LOAD_TIME = "Time to bring a model into memory, fetch included";
    private static final String INFERENCE_TIME = "Model execution time, by the tier it ran in";
    private static final String PROMOTIONS = "Promotions from the CPU tier to the GPU tier, by outcome";
    private static final String PROMOTION_TIME = "Time to load a model onto the GPU";
    private static final String FETCH_FAILED = "Fetches from object storage that failed, by reason";
    private static final String CORRUPT = "Cached files found damaged when loaded from disk, deleted and fetched again";
    private static final String REJECTED = "Infer requests refused or dropped without running, by reason";

    private final MeterRegistry registry;
    private final String host;
    private final Counter fetchBytes;
    private final Timer fetchDuration;

    public AgentMetrics(MeterRegistry registry, String host) {
        this.registry = registry;
        this.host = host;
        this.fetchBytes = Counter.builder("trims.fetch.bytes").description("Bytes fetched from object storage")
                .tag("host", host).register(registry);
        this.fetchDuration = Timer.builder("trims.fetch.duration").description("Fetches from object storage to disk")
                .tag("host", host).publishPercentileHistogram().register(registry);
        LOAD_SOURCES.forEach(source -> {
            counter("trims.loads", LOADS, "source", source);
            loadTimer(source);
        });
        PROMOTION_OUTCOMES.forEach(outcome -> counter("trims.gpu.promotions", PROMOTIONS, "outcome", outcome));
        FETCH_FAILURES.forEach(reason -> counter("trims.fetch.failures", FETCH_FAILED, "reason", reason));
        REJECT_REASONS.forEach(reason -> counter("trims.requests.rejected", REJECTED, "reason", reason));
    }

    /**
     * Gauges of a tier's used bytes, capacity and resident models, and its counters at 0: hits, misses, evictions,
     * and for the memory tiers spare copies dropped and inference time.
     */
    public void watch(Tier<?> tier) {
        String label = tier.level().label();
        Gauge.builder("trims.tier.used.bytes", tier, Tier::usedBytes).description("Bytes a tier holds")
                .tags("host", host, "tier", label).register(registry);
        Gauge.builder("trims.tier.capacity.bytes", tier, Tier::capacityBytes).description("A tier's byte budget")
                .tags("host", host, "tier", label).register(registry);
        Gauge.builder("trims.models.resident", tier, t -> t.residents().size())
                .description("Models ready in a tier").tags("host", host, "tier", label).register(registry);
        counter("trims.tier.hits", HITS, "tier", label);
        counter("trims.tier.misses", MISSES, "tier", label);
        counter("trims.evictions", EVICTIONS, "tier", label);
        if (tier.level() != TierLevel.DISK) {
            counter("trims.spare.copies.dropped", SPARE_DROPPED, "tier", label);
            inferenceTimer(label);
        }
        if (tier.level() == TierLevel.GPU) {
            promotionTimer();
        }
    }

    /** A counter of the disk tier's damaged copies ({@code trims_disk_copies_corrupt_total}). */
    public void watchCorruptCopies(DiskTier disk) {
        FunctionCounter.builder("trims.disk.copies.corrupt", disk, DiskTier::corruptCopies).description(CORRUPT)
                .tag("host", host).register(registry);
    }

    /** A gauge that is 1 while object storage answers this host's probe, 0 while it does not. */
    public void watchStore(StoreProbe probe) {
        Gauge.builder("trims.object.store.reachable", probe, p -> p.reachable() ? 1 : 0)
                .description("Whether object storage answers this host (1) or not (0)").tag("host", host).register(registry);
    }

    /** A gauge of the requests holding a model on this host now. */
    public void watchInFlight(AtomicInteger inFlight) {
        Gauge.builder("trims.in.flight", inFlight, AtomicInteger::get).description("Requests holding a model now")
                .tag("host", host).register(registry);
    }

    /**
     * Gauges of the run queue: requests holding a place (queued, loading or running) and pieces of work waiting for
     * a worker.
     */
    public void watchQueue(IntSupplier held, IntSupplier waiting) {
        Gauge.builder("trims.queue.requests", held, IntSupplier::getAsInt)
                .description("Infer requests the agent holds now: queued, loading or running").tag("host", host)
                .strongReference(true).register(registry);
        Gauge.builder("trims.queue.waiting", waiting, IntSupplier::getAsInt)
                .description("Work of infer requests waiting for an inference worker").tag("host", host)
                .strongReference(true).register(registry);
    }

    public void hit(String tier) {
        counter("trims.tier.hits", HITS, "tier", tier).increment();
    }

    public void miss(String tier) {
        counter("trims.tier.misses", MISSES, "tier", tier).increment();
    }

    public void eviction(String tier) {
        counter("trims.evictions", EVICTIONS, "tier", tier).increment();
    }

    /** An idle extra copy given back because another host keeps the model (also counted as an eviction). */
    public void spareCopyDropped(String tier) {
        counter("trims.spare.copies.dropped", SPARE_DROPPED, "tier", tier).increment();
    }

    /** One model loaded into the CPU tier from {@code source} (disk or remote). */
    public void load(String source, long nanos) {
        counter("trims.loads", LOADS, "source", source).increment();
        loadTimer(source).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void fetched(long bytes, long nanos) {
        fetchBytes.increment(bytes);
        fetchDuration.record(Duration.ofNanos(nanos));
    }

    /**
     * A fetch from object storage failed: the object is missing, its bytes do not match the digest, the store could
     * not be reached (or cut or stalled the transfer), the disk filled up, or other I/O failed.
     */
    public void fetchFailed(String reason) {
        counter("trims.fetch.failures", FETCH_FAILED, "reason", reason).increment();
    }

    /**
     * An infer request refused or dropped unrun: queue_full (429), deadline (504), client_gone (closed its
     * connection while it waited) or too_large (413).
     */
    public void rejected(String reason) {
        counter("trims.requests.rejected", REJECTED, "reason", reason).increment();
    }

    public void inference(String tier, long nanos) {
        inferenceTimer(tier).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One promotion attempt from the CPU tier to the GPU tier, by outcome: promoted, busy (the GPU tier's room is
     * held by models in use), refused (the executor cannot load the model) or failed; the time of successful ones.
     */
    public void promotion(String outcome, long nanos) {
        counter("trims.gpu.promotions", PROMOTIONS, "outcome", outcome).increment();
        if (outcome.equals("promoted")) {
            promotionTimer().record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Count of fetches from object storage so far. */
    public long fetches() {
        return fetchDuration.count();
    }

    /** Removes this host's meters, so a stopped agent's series go with it. */
    @Override
    public void close() {
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("trims.") && host.equals(m.getId().getTag("host")))
                .toList()
                .forEach(registry::remove);
    }

    private Counter counter(String name, String description, String key, String value) {
        return Counter.builder(name).description(description).tags("host", host, key, value).register(registry);
    }

    private Timer loadTimer(String source) {
        return Timer.builder("trims.load.duration").description(LOAD_TIME)
                .tags("host", host, "source", source).publishPercentileHistogram().register(registry);
    }

    private Timer inferenceTimer(String tier) {
        return Timer.builder("trims.inference.duration").description(INFERENCE_TIME)
                .tags("host", host, "tier", tier).publishPercentileHistogram().register(registry);
    }

    private Timer promotionTimer() {
        return Timer.builder("trims.gpu.promotion.duration").description(PROMOTION_TIME)
                .tags("host", host).publishPercentileHistogram().register(registry);
    }
}
