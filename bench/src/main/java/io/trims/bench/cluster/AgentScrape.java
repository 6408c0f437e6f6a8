package io.trims.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agents' counters that the report needs, summed over the agents, read from their Prometheus {@code /metrics}
 * (the meters of AgentMetrics): bytes fetched from object storage, evictions per tier, loads per source.
 */
public record AgentScrape(double fetchBytes, Map<String, Double> evictions, Map<String, Double> loads) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)");

    public static final AgentScrape NONE = new AgentScrape(0, Map.of(), Map.of());

    public static AgentScrape of(List<String> agentUrls) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder all = new StringBuilder();
        for (String url : agentUrls) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException(url + "/metrics answered " + answer.statusCode());
            }
            all.append(answer.body()).append('\n');
        }
        return parse(all.toString());
    }

    /** Sums the samples of Prometheus text; labels other than the one grouped by are summed over. */
    static AgentScrape parse(String text) {
        return new AgentScrape(sum(text, "trims_fetch_bytes_total", null).getOrDefault("", 0.0),
                sum(text, "trims_evictions_total", "tier"), sum(text, "trims_loads_total", "source"));
    }

    /** What happened between {@code before} and this scrape. */
    public AgentScrape since(AgentScrape before) {
        return new AgentScrape(fetchBytes - before.fetchBytes, minus(evictions, before.evictions),
                minus(loads, before.loads));
    }

    private static Map<String, Double> sum(String text, String metric, String byLabel) {
        Map<String, Double> sums = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find() || !m.group(1).equals(metric)) {
                continue;
            }
            String key = byLabel == null ? "" : label(m.group(3), byLabel);
            sums.merge(key, Double.parseDouble(m.group(4)), Double::sum);
        }
        return sums;
    }

    private static String label(String labels, String name) {
        if (labels == null) {
            return "";
        }
        Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new TreeMap<>(after);
        before.forEach((k, v) -> delta.merge(k, -v, Double::sum));
        return delta;
    }
}
