package io.trims.bench.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Replays a {@link Workload} open loop: each request is sent when it is due, whether earlier ones were answered
 * or not, so a slow system meets the same offered load as a fast one (no coordinated omission). Requests still
 * unanswered after the last arrival get {@code drain} more time; then they are cancelled and counted as unanswered.
 */
public final class OpenLoop {

    private final Duration requestTimeout;
    private final Duration drain;

    public OpenLoop(Duration requestTimeout, Duration drain) {
        this.requestTimeout = requestTimeout;
        this.drain = drain;
    }

    /**
     * @param target the URL each arrival (by its index in the sequence) is sent to
     * @param bodies the infer body of each model rank
     */
    public List<Outcome> run(Workload workload, IntFunction<URI> target, List<byte[]> bodies) throws InterruptedException {
        ExecutorService callbacks = Executors.newFixedThreadPool(2, daemon("open-loop-callback"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(callbacks).build();
        List<Workload.Arrival> arrivals = workload.arrivals();
        List<CompletableFuture<Outcome>> pending = new ArrayList<>(arrivals.size());
        try {
            long start = System.nanoTime();
            for (int i = 0; i < arrivals.size(); i++) {
                Workload.Arrival arrival = arrivals.get(i);
                long due = start + arrival.offsetNanos();
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                pending.add(send(http, target.apply(i), bodies.get(arrival.model()), arrival.model(), due));
            }
            long deadline = System.nanoTime() + drain.toNanos();
            List<Outcome> outcomes = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                CompletableFuture<Outcome> future = pending.get(i);
                long left = Math.max(0, deadline - System.nanoTime());
                Outcome outcome;
                try {
                    outcome = future.get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    future.cancel(true);
                    Workload.Arrival arrival = arrivals.get(i);
                    outcome = new Outcome(arrival.model(), start + arrival.offsetNanos(), 0, 0, 0, null, null,
                            Double.NaN, "no answer within the drain of " + drain.toSeconds() + " s");
                }
                outcomes.add(outcome);
            }
            return outcomes;
        } finally {
            pending.forEach(f -> f.cancel(true));
            callbacks.shutdownNow();
        }
    }

    private CompletableFuture<Outcome> send(HttpClient http, URI url, byte[] body, int model, long due) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long sent = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            long done = System.nanoTime();
            if (failure != null) {
                String why = failure.getCause() != null ? failure.getCause().toString() : failure.toString();
                return new Outcome(model, due, sent, 0, 0, null, null, Double.NaN, why);
            }
            String error = response.statusCode() / 100 == 2 ? null
                    : new String(response.body(), 0, Math.min(300, response.body().length),
                    java.nio.charset.StandardCharsets.UTF_8);
            return new Outcome(model, due, sent, done, response.statusCode(),
                    response.headers().firstValue("trims-tier").orElse("-"),
                    response.headers().firstValue("trims-host").orElse("-"),
                    response.headers().firstValue("trims-predicted-ms").map(OpenLoop::number).orElse(Double.NaN),
                    error);
        });
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
