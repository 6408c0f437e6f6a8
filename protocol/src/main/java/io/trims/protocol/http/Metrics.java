package io.trims.protocol.http;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * One role's metrics registry and its Prometheus endpoint. Each role (the services of a process, each agent) has a
 * registry of its own, so a series is served by the one endpoint of the role that counts it; the JVM and process
 * meters are bound once per process, to the registry of its first role.
 */
public final class Metrics implements AutoCloseable {

    /** Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    /** @param gc the GC meters bound to this registry, or null when the process's meters are on another one */
    private Metrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
        this.registry = registry;
        this.gc = gc;
    }

    /** A new registry with JVM memory, GC, threads, class loading, CPU, uptime and file descriptor meters. */
    public static Metrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new Metrics(registry, gc);
    }

    /**
     * A new registry for a further role in a process whose JVM and process meters another registry serves already
     * (the agents of the embedded cluster): binding them again would serve one JVM's figures on several endpoints.
     */
    public static Metrics withoutProcessMeters() {
        return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Mounts {@code GET /metrics} serving this registry. */
    public void mount(Router router) {
        mount(router, registry);
    }

    /** Mounts {@code GET /metrics} serving {@code registry} in the Prometheus text format. */
    public static void mount(Router router, PrometheusMeterRegistry registry) {
        // Scraping is in-memory formatting, short enough for the event loop.
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", CONTENT_TYPE)
                .end(registry.scrape()));
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
