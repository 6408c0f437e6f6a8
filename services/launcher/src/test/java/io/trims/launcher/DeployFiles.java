package io.trims.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checked-in monitoring files under {@code deploy/}, read as the Prometheus check needs them: the embedded
 * scrape configuration with a test cluster's ports put in, the dashboard's queries with Grafana's variables
 * resolved, and the signal of each alert rule.
 */
final class DeployFiles {

    /** What Grafana's interval variables become: a window long enough for two scrapes at the test's 1 s. */
    static final String WINDOW = "1m";

    private static final Pattern INTERVAL_VARIABLE = Pattern.compile("\\$__(rate_interval|interval|range)\\b");
    /** $name, ${name} or ${name:format}: template variables, all multi-value with the regex ".*" for All. */
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\$\\{\\w+(:\\w+)?}|\\$\\w+");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+)\\s*,\\s*(\\w+)\\)");
    /** {@code <signal> <comparison> <number>}, the comparison last: the convention of alerts.yml. */
    private static final Pattern ALERT = Pattern.compile(
            "(?s)^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*(bool\\s+)?[-+]?[0-9.]+([eE][-+]?[0-9]+)?\\s*$");
    private static final Pattern ALERT_LINE = Pattern.compile("(?m)^\\s*- alert:\\s*(\\S+)");

    /** A panel's query, named for a failure message. */
    record Query(String where, String promql) {
    }

    /** Where compose's Prometheus finds the placement's scrape key (TRIMS_METRICS_KEY). */
    static final String COMPOSE_KEY_FILE = "/run/trims/metrics-key";

    private final Path root;

    private DeployFiles(Path root) {
        this.root = root;
    }

    /** The {@code deploy/} folder of this checkout, found upwards from the working directory. */
    static DeployFiles find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/prometheus/alerts.yml"))) {
                return new DeployFiles(dir.resolve("deploy"));
            }
        }
        return fail("no deploy/prometheus/alerts.yml above " + Path.of("").toAbsolutePath());
    }

    Path prometheus(String file) {
        return root.resolve("prometheus").resolve(file);
    }

    Path dashboard() {
        return root.resolve("grafana/dashboards/trims.json");
    }

    /**
     * prometheus-embedded.yml scraping the given ports every second, with the alert rules by absolute path: the
     * checked-in file itself, so a change to it is what the check runs.
     */
    String embeddedConfig(int servicesPort, int agent1Port, int agent2Port) throws IOException {
        String config = Files.readString(prometheus("prometheus-embedded.yml"));
        config = replaceOnce(config, "scrape_interval: 5s", "scrape_interval: 1s");
        config = replaceOnce(config, "evaluation_interval: 5s", "evaluation_interval: 1s");
        config = replaceOnce(config, "\"localhost:8080\"", "\"127.0.0.1:" + servicesPort + "\"");
        config = replaceOnce(config, "\"localhost:8081\"", "\"127.0.0.1:" + agent1Port + "\"");
        config = replaceOnce(config, "\"localhost:8082\"", "\"127.0.0.1:" + agent2Port + "\"");
        return replaceOnce(config, "- alerts.yml", "- " + prometheus("alerts.yml"));
    }

    /**
     * prometheus.yml with the metrics key read from {@code keyFile} (compose writes the file when Prometheus starts,
     * and promtool wants it to exist) and the alert rules by absolute path.
     */
    String composeConfig(Path keyFile) throws IOException {
        String config = Files.readString(prometheus("prometheus.yml"));
        config = replaceOnce(config, "credentials_file: " + COMPOSE_KEY_FILE, "credentials_file: " + keyFile);
        return replaceOnce(config, "- alerts.yml", "- " + prometheus("alerts.yml"));
    }

    /** Every panel target's expression (rows' panels included), Grafana's variables resolved. */
    List<Query> dashboardQueries() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(dashboard()));
        List<Query> queries = new ArrayList<>();
        collect(dashboard.getJsonArray("panels"), queries);
        return queries;
    }

    /** For each dashboard variable {@code label_values(metric, label)}, a query listing its values. */
    List<Query> variableQueries() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(dashboard()));
        List<Query> queries = new ArrayList<>();
        for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
            JsonObject v = (JsonObject) variable;
            Matcher m = LABEL_VALUES.matcher(v.getJsonObject("query").getString("query"));
            if (!m.matches()) {
                fail("dashboard variable " + v.getString("name") + " is not label_values(metric, label)");
            }
            queries.add(new Query("variable " + v.getString("name"), "count by (" + m.group(2) + ") (" + m.group(1) + ")"));
        }
        return queries;
    }

    /** The names of the alerts in alerts.yml, as written. */
    List<String> alertNames() throws IOException {
        Matcher m = ALERT_LINE.matcher(Files.readString(prometheus("alerts.yml")));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** An alert expression without its final comparison: the series it watches. */
    static String signal(String alert, String expr) {
        Matcher m = ALERT.matcher(expr);
        if (!m.matches()) {
            fail("alert " + alert + " does not end in a comparison with a number (see alerts.yml): " + expr);
        }
        return m.group(1);
    }

    static String resolve(String expr) {
        String resolved = TEMPLATE_VARIABLE.matcher(INTERVAL_VARIABLE.matcher(expr).replaceAll(WINDOW)).replaceAll(".*");
        assertFalse(resolved.contains("$"), "an unresolved variable in " + expr);
        return resolved;
    }

    private static void collect(JsonArray panels, List<Query> into) {
        for (Object p : panels) {
            JsonObject panel = (JsonObject) p;
            if (panel.containsKey("panels")) {
                collect(panel.getJsonArray("panels"), into);
            }
            for (Object t : panel.getJsonArray("targets", new JsonArray())) {
                JsonObject target = (JsonObject) t;
                into.add(new Query("panel '" + panel.getString("title") + "' " + target.getString("refId"),
                        resolve(target.getString("expr"))));
            }
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            fail("the Prometheus configuration should have '" + from + "' once; the Prometheus check puts the"
                    + " test's values in there (update DeployFiles with the file)");
        }
        return text.replace(from, to);
    }
}
