package io.trims.bench.cluster;

import io.trims.directory.RecordSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Counts, about once a second, how many agents hold one model in memory: each agent's
 * {@code /v2/models/{m}/ready} answers 200 while its GPU or CPU tier holds the model, 400 otherwise.
 */
public final class CopiesProbe implements AutoCloseable {

    /** One poll: seconds since the probe started, and the agents that held the model in memory. */
    public record Sample(double seconds, int copies) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(OpenLoop.daemon("copies-probe"));
    private final List<Sample> samples = new ArrayList<>();
    private final List<URI> ready = new ArrayList<>();
    private final long start = System.nanoTime();
    private final String agentKey;

    /** @param agentKey the agents' key (an agent answers its model API to the cluster only) */
    public CopiesProbe(List<String> agentUrls, String model, String agentKey) {
        this.agentKey = agentKey;
        agentUrls.forEach(url -> ready.add(URI.create(url + "/v2/models/" + model + "/ready")));
        timer.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        int copies = 0;
        for (URI url : ready) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2))
                        .header(RecordSigner.AGENT_KEY_HEADER, agentKey).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                copies += answer.statusCode() == 200 ? 1 : 0;
            } catch (Exception e) {
                // an agent that does not answer within 2 s leaves this second without a sample rather than a guess
                return;
            }
        }
        synchronized (samples) {
            samples.add(new Sample((System.nanoTime() - start) / 1e9, copies));
        }
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
