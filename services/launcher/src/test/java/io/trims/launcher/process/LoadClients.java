package io.trims.launcher.process;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients sending infer requests through the front door without pause, each waiting for its answer, counting
 * answers by status ({@code -1}: no answer, the connection failed) until stopped.
 */
final class LoadClients implements AutoCloseable {

    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<Integer, String> lastBody = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    LoadClients(ProcessCluster cluster, List<String> models, int clients) {
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (running) {
                    String model = models.get(Math.floorMod(next.getAndIncrement(), models.size()));
                    int status;
                    try {
                        HttpResponse<String> answer = cluster.http().send(cluster.inferRequest(model),
                                HttpResponse.BodyHandlers.ofString());
                        status = answer.statusCode();
                        lastBody.put(status, answer.body());
                    } catch (java.io.IOException e) {
                        status = -1;
                        lastBody.put(status, e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
                }
            }, "load-client-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Answers so far by status. */
    Map<Integer, Long> counts() {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        byStatus.forEach((status, n) -> counts.put(status, n.sum()));
        return counts;
    }

    /** A body answered with {@code status}, for a failure's message. */
    String lastBody(int status) {
        return lastBody.getOrDefault(status, "");
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(40_000);
        }
    }
}
