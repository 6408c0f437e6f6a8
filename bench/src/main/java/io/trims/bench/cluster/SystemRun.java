package io.trims.bench.cluster;

import io.trims.agent.AgentConfig;
import io.trims.policy.placement.PlacementPolicies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Runs one system from cold: starts its processes with empty caches, preloads every model for the ideal, replays
 * the arrival sequence, reads the agents' counters before and after, and stops everything again.
 */
public final class SystemRun {

    /** What every system of a run shares. */
    public record Context(BenchSettings settings, Launch launch, TrimsCluster.Store store, List<BenchModel> models,
                          List<byte[]> bodies, Workload workload, Path modelDir, Path work) {}

    private final Context context;
    private final OpenLoop loop;

    public SystemRun(Context context) {
        this.context = context;
        this.loop = new OpenLoop(context.settings().requestTimeout(), context.settings().drain());
    }

    public SystemResult run(SystemSpec spec) throws Exception {
        Path work = context.work().resolve(spec.label());
        delete(work);
        long started = System.nanoTime();
        try {
            return spec.perInvocation() ? perInvocation(spec, work, started) : cluster(spec, work, started);
        } finally {
            delete(work.resolve("cache"));
        }
    }

    private SystemResult perInvocation(SystemSpec spec, Path work, long started) throws Exception {
        BenchSettings s = context.settings();
        try (FunctionHosts hosts = FunctionHosts.start(context.launch(), s.agents(), context.modelDir(),
                s.functionThreads(), s.constrained().cpuBytes(), s.heaps().function(), work)) {
            List<String> urls = hosts.urls();
            double setup = (System.nanoTime() - started) / 1e9;
            // Any host can serve any model, and none keeps one: a load balancer without affinity, seeded.
            long measuring = System.nanoTime();
            List<Outcome> outcomes = loop.run(context.workload(),
                    i -> infer(urls.get(new SplittableRandom(s.seed() * 7919 + i).nextInt(urls.size())), i),
                    context.bodies());
            return new SystemResult(spec, spec.policies(), outcomes, List.of(), AgentScrape.NONE, setup,
                    (System.nanoTime() - measuring) / 1e9);
        }
    }

    private SystemResult cluster(SystemSpec spec, Path work, long started) throws Exception {
        BenchSettings s = context.settings();
        TrimsCluster.Config config = new TrimsCluster.Config(spec.label(), spec.placement(), spec.eviction(),
                s.budgetsOf(spec), s.agents(), s.heaps(), work);
        try (TrimsCluster cluster = TrimsCluster.start(context.launch(), context.store(), config)) {
            if (spec.ideal()) {
                preload(cluster.frontDoor());
            }
            double setup = (System.nanoTime() - started) / 1e9;
            AgentScrape before = AgentScrape.of(cluster.agentUrls());
            long measuring = System.nanoTime();
            List<Outcome> outcomes;
            List<CopiesProbe.Sample> copies;
            try (CopiesProbe probe = new CopiesProbe(cluster.agentUrls(), context.models().get(0).name(),
                    cluster.agentKey())) {
                outcomes = loop.run(context.workload(), i -> infer(cluster.frontDoor(), i), context.bodies());
                copies = probe.samples();
            }
            double measured = (System.nanoTime() - measuring) / 1e9;
            AgentScrape delta = AgentScrape.of(cluster.agentUrls()).since(before);
            return new SystemResult(spec, effectivePolicies(spec), outcomes, copies, delta, setup, measured);
        }
    }

    /**
     * The ideal's warm-up: each model once, largest first (so the miss rule, most free room, spreads them over the
     * hosts), then each once more, which must be served from memory; nothing of this is measured.
     */
    private void preload(String frontDoor) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < context.models().size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> context.models().get(i).bytes()).reversed());
        for (int pass = 0; pass < 2; pass++) {
            for (int rank : order) {
                String model = context.models().get(rank).name();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(frontDoor + path(model)))
                        .timeout(context.settings().requestTimeout()).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(context.bodies().get(rank))).build(),
                        HttpResponse.BodyHandlers.ofString());
                String tier = answer.headers().firstValue("trims-tier").orElse("-");
                if (answer.statusCode() != 200 || (pass == 1 && !tier.equals("cpu") && !tier.equals("gpu"))) {
                    throw new IOException("preloading " + model + " (pass " + (pass + 1) + ") answered "
                            + answer.statusCode() + " from tier " + tier + ": " + answer.body());
                }
                System.out.printf(Locale.ROOT, "preload pass %d: %s from %s on %s%n", pass + 1, model, tier,
                        answer.headers().firstValue("trims-host").orElse("-"));
            }
        }
    }

    private URI infer(String base, int arrival) {
        return URI.create(base + path(context.models().get(context.workload().arrivals().get(arrival).model()).name()));
    }

    private static String path(String model) {
        return "/v2/models/" + model + "/infer";
    }

    /** The policies a cluster ran, a default named by what it is in this build. */
    static String effectivePolicies(SystemSpec spec) {
        String placement = spec.placement() != null ? spec.placement()
                : "default (" + PlacementPolicies.fromEnv(Map.of()).getClass().getSimpleName() + ")";
        String eviction = spec.eviction() != null ? spec.eviction()
                : "default (" + AgentConfig.fromEnv(Map.of()).evictionPolicy() + ")";
        return placement + " + " + eviction + (spec.ideal() ? ", all preloaded" : "");
    }

    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
