package io.trims.launcher;

import io.trims.agent.Agent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each role of the embedded cluster serves its own series on its own port, as separate processes would: the front
 * door's and the registry's on the services port, each agent's on that agent's. A fresh cluster shows its counters
 * at 0, each metric with a help text; one request is counted once over all three endpoints, by the front door and
 * by the agent that served it only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsPerRoleTest {

    private static final String MODEL = "per-role";

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;
    private static ClusterCalls calls;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.start(data, Map.of(
                "TRIMS_SERVICES_INSTANCES", "1"));
        calls = new ClusterCalls(cluster.url(), cluster.adminKey());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aFreshClusterShowsItsCountersAtZeroEachWithAHelpText() throws Exception {
        Exposition services = calls.scrape(cluster.url());
        assertHelpTexts(services, "the services");
        assertEquals(0.0, services.value("trims_placement_retries_total", Map.of()));
        for (String outcome : List.of("created", "invalid", "conflict", "too_large", "not_onnx", "error")) {
            assertEquals(0.0, services.value("trims_registry_uploads_total", Map.of("outcome", outcome)), outcome);
        }
        for (String tier : List.of("gpu", "cpu", "disk", "remote")) {
            assertEquals(0.0, services.value("trims_prediction_ratio_count", Map.of("tier", tier)), tier);
        }

        for (Agent agent : cluster.agents()) {
            String host = agent.host();
            Exposition scraped = calls.scrape(agent.endpoint());
            assertHelpTexts(scraped, host);
            List<String> tiers = new ArrayList<>(List.of("cpu", "disk"));
            agent.residency().gpuTier().ifPresent(gpu -> tiers.add("gpu"));
            for (String tier : tiers) {
                Map<String, String> labels = Map.of("host", host, "tier", tier);
                for (String counter : List.of("trims_tier_hits_total", "trims_tier_misses_total",
                        "trims_evictions_total", "trims_models_resident")) {
                    assertEquals(0.0, scraped.value(counter, labels), counter + " " + labels);
                }
                if (!tier.equals("disk")) {
                    assertEquals(0.0, scraped.value("trims_spare_copies_dropped_total", labels), tier);
                    assertEquals(0.0, scraped.value("trims_inference_duration_seconds_count", labels), tier);
                }
            }
            for (String source : List.of("disk", "remote")) {
                Map<String, String> labels = Map.of("host", host, "source", source);
                assertEquals(0.0, scraped.value("trims_loads_total", labels), source);
                assertEquals(0.0, scraped.value("trims_load_duration_seconds_count", labels), source);
            }
            for (String outcome : List.of("promoted", "busy", "refused", "failed")) {
                assertEquals(0.0, scraped.value("trims_gpu_promotions_total", Map.of("host", host, "outcome", outcome)));
            }
            for (String reason : List.of("missing", "corrupt", "error")) {
                assertEquals(0.0, scraped.value("trims_fetch_failures_total", Map.of("host", host, "reason", reason)));
            }
            assertEquals(0.0, scraped.value("trims_fetch_bytes_total", Map.of("host", host)));
            assertEquals(0.0, scraped.value("trims_in_flight", Map.of("host", host)));
        }
    }

    @Test
    @Order(2)
    void oneRequestIsCountedOnceByTheFrontDoorAndOnlyByTheAgentThatServedIt() throws Exception {
        calls.upload(MODEL, 11);
        HttpResponse<String> answer = calls.infer(MODEL, 2);
        assertEquals(200, answer.statusCode(), answer.body());
        String servedBy = answer.headers().firstValue("trims-host").orElseThrow();

        // The front door counts once its answer is written, so a scrape may come a moment before the count.
        Map<String, Exposition> byHost = settled();
        Exposition services = byHost.get("");
        Exposition holder = byHost.get(servedBy);

        assertEquals(1.0, total(byHost, "trims_requests_total"), "one request, counted once over every endpoint");
        assertEquals(1.0, services.value("trims_requests_total", Map.of("model", MODEL, "outcome", "ok")));
        for (String outcome : List.of("client_error", "server_error", "unavailable")) {
            assertEquals(0.0, services.value("trims_requests_total", Map.of("model", MODEL, "outcome", outcome)),
                    "a model's other outcomes exist from its first request: " + outcome);
        }
        assertEquals(1.0, total(byHost, "trims_request_duration_seconds_count"));
        assertEquals(1.0, services.value("trims_request_duration_seconds_count", Map.of("model", MODEL)));

        assertEquals(1.0, total(byHost, "trims_inference_duration_seconds_count"));
        assertEquals(1.0, holder.sum("trims_inference_duration_seconds_count", l -> true));
        assertEquals(1.0, total(byHost, "trims_loads_total"));
        assertEquals(1.0, holder.value("trims_loads_total", Map.of("host", servedBy, "source", "remote")));
        assertTrue(holder.value("trims_fetch_bytes_total", Map.of("host", servedBy)) > 0, "the holder fetched it");
        assertEquals(total(byHost, "trims_tier_misses_total"), holder.sum("trims_tier_misses_total", l -> true));
        assertEquals(1.0, holder.value("trims_tier_misses_total", Map.of("host", servedBy, "tier", "disk")));
        assertEquals(1.0, holder.value("trims_models_resident", Map.of("host", servedBy, "tier", "cpu")));
        byHost.forEach((host, scraped) -> {
            if (!host.isEmpty() && !host.equals(servedBy)) {
                assertEquals(0.0, scraped.sum("trims_tier_hits_total", l -> true)
                        + scraped.sum("trims_tier_misses_total", l -> true), host + " saw no request");
            }
        });

        byHost.forEach((host, scraped) -> {
            for (Exposition.Sample sample : scraped.samples()) {
                String labelled = sample.labels().get("host");
                if (labelled != null && !labelled.equals(host)) {
                    fail((host.isEmpty() ? "the services" : host) + " serves a series of " + labelled + ": " + sample);
                }
            }
            assertHelpTexts(scraped, host.isEmpty() ? "the services" : host);
        });
        assertFalse(services.named("jvm_memory_used_bytes").isEmpty(), "the JVM's meters, on the services' registry");
        for (Agent agent : cluster.agents()) {
            Exposition scraped = byHost.get(agent.host());
            assertTrue(scraped.named("jvm_memory_used_bytes").isEmpty(), "the JVM's meters are served once");
            assertTrue(scraped.named("trims_requests_total").isEmpty(), "front door series stay on its port");
        }
        assertTrue(services.named("trims_tier_hits_total").isEmpty(), "agent series stay on the agents' ports");
    }

    /** Scrapes of every endpoint (the services under ""), once the front door has counted the request. */
    private static Map<String, Exposition> settled() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Map<String, Exposition> byHost = new LinkedHashMap<>();
            byHost.put("", calls.scrape(cluster.url()));
            for (Agent agent : cluster.agents()) {
                byHost.put(agent.host(), calls.scrape(agent.endpoint()));
            }
            if (total(byHost, "trims_requests_total") >= 1 && total(byHost, "trims_inference_duration_seconds_count") >= 1) {
                return byHost;
            }
            if (System.nanoTime() > deadline) {
                fail("the request was not counted within 10 s");
            }
            Thread.sleep(50);
        }
    }

    private static double total(Map<String, Exposition> byHost, String name) {
        return byHost.values().stream().mapToDouble(e -> e.sum(name, labels -> true)).sum();
    }

    /** Every trims metric family has a TYPE and a non-empty HELP line, and every trims sample belongs to one. */
    static void assertHelpTexts(Exposition scraped, String who) {
        List<String> families = scraped.types().keySet().stream().filter(n -> n.startsWith("trims_")).toList();
        assertFalse(families.isEmpty(), who + " serves trims metrics");
        for (String family : families) {
            String help = scraped.help().get(family);
            assertNotNull(help, who + ": " + family + " has no HELP line");
            assertFalse(help.isBlank(), who + ": " + family + " has an empty HELP text");
        }
        for (Exposition.Sample sample : scraped.samples()) {
            if (sample.name().startsWith("trims_")) {
                assertTrue(families.stream().anyMatch(f -> sample.name().startsWith(f)),
                        who + ": " + sample.name() + " has no TYPE/HELP family");
            }
        }
    }
}
