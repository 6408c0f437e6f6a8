package io.trims.launcher;

import io.trims.agent.Agent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in monitoring files against a real Prometheus (Debian's package; each test is skipped with the
 * reason without it, unless TRIMS_REQUIRE_PROMETHEUS=1, where the class fails) scraping a real embedded cluster. promtool accepts the configurations and the rules;
 * after a short load (cold starts, warm hits, client errors) every query of the Grafana dashboard and the signal of
 * every alert rule return at least one series, so none of them watches a metric that does not exist.
 *
 * <p>Alert rules are written {@code <signal> <comparison> <number>} (see alerts.yml): a rule's condition is
 * normally false (an agent is up, no fetch fails), so what is checked is its signal, the expression before the
 * final comparison; the whole expression must still evaluate, and every rule must be loaded and healthy.
 */
@Timeout(value = 120)
class PrometheusCheckTest {

    private static final Duration SCRAPE_PATIENCE = Duration.ofSeconds(30);
    private static final String TRIMS_TARGETS = "up{job=~\"trims-.*\"}";
    private static final double OK_REQUESTS = 10;
    private static final double ERROR_REQUESTS = 2;

    @TempDir
    static Path work;
    private static Path promtool;
    private static DeployFiles deploy;
    private static EmbeddedCluster cluster;
    private static PrometheusServer prometheus;
    private static Path config;

    /** Why the check does not run here, if it does not. */
    private static Optional<String> skipped;

    @BeforeAll
    static void start() throws Exception {
        skipped = PrometheusServer.unavailable();
        if (skipped.isPresent()) {
            return;
        }
        Path binary = PrometheusServer.onPath("prometheus").orElseThrow();
        promtool = PrometheusServer.onPath("promtool").orElseThrow();
        deploy = DeployFiles.find();
        cluster = EmbeddedCluster.start(Map.of(
                "TRIMS_DATA_DIR", work.resolve("data").toString(),
                "TRIMS_PORT", "0",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_REGISTRY_TMP_DIR", work.resolve("uploads").toString()));
        List<Agent> agents = cluster.agents();
        config = work.resolve("prometheus.yml");
        Files.writeString(config, deploy.embeddedConfig(URI.create(cluster.url()).getPort(),
                agents.get(0).port(), agents.get(1).port()));
        prometheus = PrometheusServer.start(binary, config, work);
        prometheus.await("all three trims targets are up", SCRAPE_PATIENCE,
                () -> prometheus.every(TRIMS_TARGETS, 3, up -> up == 1.0));
        load();
        awaitTwoMoreScrapes();
    }

    @BeforeEach
    void prometheusIsHere() {
        Assumptions.assumeTrue(skipped.isEmpty(), () -> skipped.orElseThrow());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void promtoolAcceptsTheConfigurationsAndTheRules() throws Exception {
        String rules = PrometheusServer.promtool(promtool, "check", "rules", deploy.prometheus("alerts.yml").toString());
        assertTrue(rules.contains("SUCCESS: " + deploy.alertNames().size() + " rules found"), rules);
        Path compose = work.resolve("prometheus-compose.yml");
        Files.writeString(compose, deploy.composeConfig(Files.writeString(work.resolve("metrics-key"), "a-key")));
        for (Path file : List.of(compose, deploy.prometheus("prometheus-embedded.yml"), config)) {
            String checked = PrometheusServer.promtool(promtool, "check", "config", file.toString());
            assertTrue(checked.contains("SUCCESS"), checked);
        }
    }

    @Test
    void everyDashboardQueryReturnsSeries() throws Exception {
        List<DeployFiles.Query> queries = new ArrayList<>(deploy.dashboardQueries());
        assertTrue(queries.size() >= 20, "the dashboard's panels have their queries: " + queries.size());
        queries.addAll(deploy.variableQueries());
        List<String> empty = new ArrayList<>();
        for (DeployFiles.Query query : queries) {
            if (prometheus.query(query.promql()).isEmpty()) {
                empty.add(query.where() + ": " + query.promql());
            }
        }
        assertEquals(List.of(), empty, "dashboard queries without a series");
    }

    @Test
    void everyAlertRuleIsLoadedHealthyAndItsSignalReturnsSeries() throws Exception {
        List<String> written = deploy.alertNames();
        assertFalse(written.isEmpty());
        prometheus.await("every rule has been evaluated", SCRAPE_PATIENCE,
                () -> prometheus.rules().stream().noneMatch(r -> "unknown".equals(r.getString("health"))));
        List<JsonObject> rules = prometheus.rules();
        assertEquals(written, rules.stream().map(r -> r.getString("name")).toList(), "Prometheus loaded alerts.yml");
        List<String> failures = new ArrayList<>();
        for (JsonObject rule : rules) {
            String name = rule.getString("name");
            String expr = rule.getString("query");
            if (!"ok".equals(rule.getString("health"))) {
                failures.add(name + " is " + rule.getString("health") + ": " + rule.getString("lastError"));
            }
            prometheus.query(expr); // the whole condition evaluates (it is normally empty: nothing is wrong)
            String signal = DeployFiles.signal(name, expr);
            if (prometheus.query(signal).isEmpty()) {
                failures.add(name + ": no series for " + signal);
            }
        }
        assertEquals(List.of(), failures, "alert rules");
    }

    @Test
    void theLoadIsSeenThroughPrometheus() throws Exception {
        // The scrapes saw the load's figures, counted once per request over the three targets.
        JsonArray requests = prometheus.query("sum by (outcome) (trims_requests_total)");
        Map<String, Double> byOutcome = requests.stream().map(JsonObject.class::cast).collect(Collectors.toMap(
                s -> s.getJsonObject("metric").getString("outcome"),
                s -> Double.parseDouble(s.getJsonArray("value").getString(1))));
        assertEquals(OK_REQUESTS, byOutcome.get("ok"), "answered requests: " + byOutcome);
        assertEquals(ERROR_REQUESTS, byOutcome.get("client_error"), "refused requests: " + byOutcome);
        assertEquals(2.0, PrometheusServer.values(prometheus.query("sum(trims_loads_total{source=\"remote\"})")).get(0),
                "one cold start per model");
    }

    /** Two models, each a cold start then warm requests; an unknown model and a malformed body. */
    private static void load() throws Exception {
        ClusterCalls calls = new ClusterCalls(cluster.url(), cluster.adminKey());
        calls.upload("check-a", 1);
        calls.upload("check-b", 2);
        for (int i = 0; i < OK_REQUESTS; i++) {
            HttpResponse<String> answer = calls.infer(i % 2 == 0 ? "check-a" : "check-b", 1 + i % 3);
            assertEquals(200, answer.statusCode(), answer.body());
        }
        assertEquals(404, calls.infer("no-such-model", 1).statusCode());
        assertEquals(400, calls.post("check-a", "{\"inputs\": [").statusCode());
    }

    /** Every target scraped twice after the load, so each series it made has the two samples rate() needs. */
    private static void awaitTwoMoreScrapes() throws Exception {
        String scrapes = "count_over_time(" + TRIMS_TARGETS + "[10m])";
        double before = PrometheusServer.values(prometheus.query("max(" + scrapes + ")")).get(0);
        prometheus.await("two more scrapes of every target", SCRAPE_PATIENCE,
                () -> prometheus.every(scrapes, 3, n -> n >= before + 2));
    }
}
