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

/** The process's metrics registry (JVM and process meters bound) and its Prometheus endpoint. */
public final class Metrics implements AutoCloseable {

    /** Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

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
        gc.close();
        registry.close();
    }
}
