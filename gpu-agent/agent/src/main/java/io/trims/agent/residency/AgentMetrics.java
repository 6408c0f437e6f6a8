package io.trims.agent.residency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.trims.agent.tier.Tier;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent's meters. Names are given in Micrometer's dotted form; the Prometheus registry renders them as
 * {@code trims_tier_hits_total}, {@code trims_load_duration_seconds} and so on. Every meter carries the host tag.
 */
public final class AgentMetrics implements AutoCloseable {

    private static final Set<String> NAMES = Set.of("trims.fetch.bytes", "trims.fetch.duration", "trims.tier.used.bytes",
            "trims.tier.capacity.bytes", "trims.tier.hits", "trims.tier.misses", "trims.evictions",
            "trims.spare.copies.dropped", "trims.loads", "trims.load.duration", "trims.inference.duration",
            "trims.gpu.promotions", "trims.gpu.promotion.duration");

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
    }

    /** Gauges of a tier's used bytes and capacity. */
    public void watch(Tier<?> tier) {
        String label = tier.level().label();
        Gauge.builder("trims.tier.used.bytes", tier, Tier::usedBytes).description("Bytes a tier holds")
                .tags("host", host, "tier", label).register(registry);
        Gauge.builder("trims.tier.capacity.bytes", tier, Tier::capacityBytes).description("A tier's byte budget")
                .tags("host", host, "tier", label).register(registry);
    }

    public void hit(String tier) {
        counter("trims.tier.hits", "Requests that found their model in a tier", "tier", tier).increment();
    }

    public void miss(String tier) {
        counter("trims.tier.misses", "Requests that did not find their model in a tier", "tier", tier).increment();
    }

    public void eviction(String tier) {
        counter("trims.evictions", "Models demoted out of a tier", "tier", tier).increment();
    }

    /** An idle extra copy given back because another host keeps the model (also counted as an eviction). */
    public void spareCopyDropped(String tier) {
        counter("trims.spare.copies.dropped", "Idle extra copies given back while another host keeps the model",
                "tier", tier).increment();
    }

    /** One model loaded into the CPU tier from {@code source} (disk or remote). */
    public void load(String source, long nanos) {
        counter("trims.loads", "Models loaded into memory, by where the file came from", "source", source).increment();
        Timer.builder("trims.load.duration").description("Time to bring a model into memory, fetch included")
                .tags("host", host, "source", source).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void fetched(long bytes, long nanos) {
        fetchBytes.increment(bytes);
        fetchDuration.record(Duration.ofNanos(nanos));
    }

    public void inference(String tier, long nanos) {
        Timer.builder("trims.inference.duration").description("Model execution time, by the tier it ran in")
                .tags("host", host, "tier", tier).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One promotion attempt from the CPU tier to the GPU tier, by outcome: promoted, busy (the GPU tier's room is
     * held by models in use), refused (the executor cannot load the model) or failed; the time of successful ones.
     */
    public void promotion(String outcome, long nanos) {
        counter("trims.gpu.promotions", "Promotions from the CPU tier to the GPU tier, by outcome", "outcome", outcome)
                .increment();
        if (outcome.equals("promoted")) {
            Timer.builder("trims.gpu.promotion.duration").description("Time to load a model onto the GPU")
                    .tags("host", host).publishPercentileHistogram().register(registry)
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Count of fetches from object storage so far. */
    public long fetches() {
        return fetchDuration.count();
    }

    /** Removes this host's meters, so a stopped agent does not linger in a registry other agents share. */
    @Override
    public void close() {
        registry.getMeters().stream()
                .filter(m -> NAMES.contains(m.getId().getName()) && host.equals(m.getId().getTag("host")))
                .toList()
                .forEach(registry::remove);
    }

    private Counter counter(String name, String description, String key, String value) {
        return Counter.builder(name).description(description).tags("host", host, key, value).register(registry);
    }
}
