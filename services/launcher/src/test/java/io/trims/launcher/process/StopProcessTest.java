package io.trims.launcher.process;

import io.grpc.Status;
import io.trims.testmodels.OnnxModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.trims.launcher.process.ProcessCluster.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process stop is clean, on real processes under load: SIGTERM in a loop, by turns to an agent while clients send
 * requests through the front door, and to the placement process while an upload and gRPC calls are under way. Every
 * answer is a 200 or a 503 (never another 5xx), every gRPC call OK or UNAVAILABLE; no JVM leaves a crash report; a restarted agent is in the directory again
 * with the copies its disk kept; an upload answered 201 is in the catalogue after the restart, any other leaves no
 * object, manifest or spool file. {@code -Dtrims.stop.iterations} (4, about 90 s here) sets the loop's length; the
 * bench script
 * runs 100 and {@code -Dtrims.stop.report} names a file the figures go to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StopProcessTest {

    private static final int ITERATIONS = Integer.getInteger("trims.stop.iterations", 4);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final Pattern AGENT_STOPPED = Pattern.compile("agent \\S+ stopped in (\\d+) ms");
    private static final double[] UPLOAD_SECONDS = {0.6, 2.2, 4.5};

    private final List<String> models = List.of("stop-a", "stop-b", "stop-c");
    private final List<String> registered = new ArrayList<>();
    private Path work;
    private ProcessCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        work = Files.createTempDirectory("trims-stop-");
        cluster = new ProcessCluster(work, Map.of("TRIMS_SHUTDOWN_GRACE_S", Long.toString(GRACE.toSeconds())));
        cluster.startPlacement();
        for (String agent : List.of("agent-1", "agent-2")) {
            cluster.startAgent(agent, Map.of("TRIMS_SHUTDOWN_GRACE_S", Long.toString(GRACE.toSeconds())));
        }
        within(Duration.ofSeconds(30), "both agents in the directory", () -> cluster.readyHosts() == 2);
        for (int i = 0; i < models.size(); i++) {
            assertEquals(201, cluster.upload(models.get(i), cluster.model(10 + i)).statusCode());
            registered.add(models.get(i));
            assertEquals(200, cluster.infer(models.get(i)).statusCode());
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            cluster.close();
        } finally {
            ProcessFiles.delete(work);
        }
    }

    @Test
    void stopsUnderLoadAndDuringUploadsAreClean() throws Exception {
        long started = System.nanoTime();
        List<Long> agentStops = new ArrayList<>();
        List<Long> restarts = new ArrayList<>();
        int finished = 0;
        int aborted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            if (i % 2 == 0) {
                long[] took = stopAnAgentUnderLoad("agent-" + (1 + (i / 2) % 2));
                agentStops.add(took[0]);
                restarts.add(took[1]);
            } else if (stopPlacementDuringAnUpload(i)) {
                finished++;
            } else {
                aborted++;
            }
            assertEquals(List.of(), cluster.crashReports(), "JVM crash reports after iteration " + i);
        }
        report(String.format(Locale.ROOT, "StopProcessTest: %d iterations in %.1f s; agent stop (SIGTERM to exit, "
                        + "under load) median %d ms, max %d ms; agent restart to ready median %d ms; uploads during a "
                        + "placement stop: %d finished, %d aborted; no hs_err file, no lost registration",
                ITERATIONS, (System.nanoTime() - started) / 1e9, median(agentStops), max(agentStops),
                median(restarts), finished, aborted));
    }

    /** SIGTERM to {@code host} under load; its stop's and its restart's milliseconds. */
    private long[] stopAnAgentUnderLoad(String host) throws Exception {
        Set<String> onDisk = cluster.residencies(host).stream().filter(k -> k.endsWith("|disk"))
                .collect(Collectors.toSet());
        ChildJvm agent = cluster.role(host);
        Map<Integer, Long> counts;
        long stopMs;
        long restartMs;
        try (LoadClients load = new LoadClients(cluster, models, 2)) {
            Thread.sleep(300);
            long stop = System.nanoTime();
            int status = agent.terminate(STOP_PATIENCE);
            stopMs = (System.nanoTime() - stop) / 1_000_000;
            assertTrue(status == 0 || status == 143, host + " exit status " + status + "; log:\n" + agent.tail());
            long restart = System.nanoTime();
            cluster.startAgent(host, Map.of("TRIMS_SHUTDOWN_GRACE_S", Long.toString(GRACE.toSeconds())));
            within(Duration.ofSeconds(30), host + " in the directory again", () -> cluster.readyHosts() == 2
                    && cluster.residencies(host).containsAll(onDisk));
            restartMs = (System.nanoTime() - restart) / 1_000_000;
            Thread.sleep(200);
            load.close();
            counts = load.counts();
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                int s = e.getKey();
                assertTrue(s == 200 || s == 503, "while " + host + " stopped: " + counts + "; a " + s + " said: "
                        + load.lastBody(s));
            }
        }
        assertTrue(counts.getOrDefault(200, 0L) > 0, "no request answered: " + counts);
        String logged = agent.awaitLine(AGENT_STOPPED, Duration.ofSeconds(1));
        report(String.format(Locale.ROOT, "  %s stopped in %d ms (its log: %s ms), back in %d ms; answers %s",
                host, stopMs, logged, restartMs, counts));
        return new long[] {stopMs, restartMs};
    }

    /** SIGTERM to placement during an upload; whether the upload finished (201) rather than aborted. */
    private boolean stopPlacementDuringAnUpload(int iteration) throws Exception {
        String model = "upload-" + iteration;
        double seconds = UPLOAD_SECONDS[(iteration / 2) % UPLOAD_SECONDS.length];
        CompletableFuture<Integer> upload = SlowUpload.start(cluster.http(), cluster.frontDoor(), cluster.adminKey(), model,
                OnnxModels.matMulAdd(128, 256, iteration), seconds);
        GrpcClients grpc = new GrpcClients(cluster.grpcPort(), models.get(iteration % models.size()));
        assertTrue(grpc.answered(Duration.ofSeconds(10)), "no gRPC call answered before the stop: " + grpc.counts()
                + "; UNAVAILABLE said: " + grpc.lastDescription(Status.Code.UNAVAILABLE));
        long stop = System.nanoTime();
        int exit = cluster.role("placement").terminate(STOP_PATIENCE);
        long stopMs = (System.nanoTime() - stop) / 1_000_000;
        grpc.close();
        assertTrue(exit == 0 || exit == 143, "placement exit status " + exit);
        Map<Status.Code, Long> calls = grpc.counts();
        for (Status.Code code : calls.keySet()) {
            assertTrue(code == Status.Code.OK || code == Status.Code.UNAVAILABLE, "gRPC calls during the stop: "
                    + calls + "; a " + code + " said: " + grpc.lastDescription(code));
        }
        int status = upload.get(30, TimeUnit.SECONDS);
        assertTrue(status == 201 || status == 503 || status == -1, "the upload during the stop answered " + status);
        long restart = System.nanoTime();
        cluster.startPlacement();
        within(Duration.ofSeconds(30), "the restarted front door sees both agents", () -> cluster.readyHosts() == 2);
        long restartMs = (System.nanoTime() - restart) / 1_000_000;
        HttpResponse<String> record = cluster.get("/v1/models/" + model + "/versions/1");
        if (status == 201) {
            registered.add(model);
            assertEquals(200, record.statusCode(), "an upload answered 201 is registered: " + record.body());
        } else {
            assertEquals(404, record.statusCode(), "an aborted upload is not registered: " + record.body());
            assertEquals(List.of(), ProcessFiles.filesUnder(cluster.objects("models/" + model)),
                    "objects of an aborted upload");
        }
        assertEquals(List.of(), ProcessFiles.filesUnder(cluster.spool()), "spool files left");
        for (String m : registered) {
            assertEquals(200, cluster.get("/v1/models/" + m + "/versions/1").statusCode(), m + " lost");
        }
        HttpResponse<String> answer = cluster.infer(models.get(iteration % models.size()));
        assertEquals(200, answer.statusCode(), answer.body());
        report(String.format(Locale.ROOT, "  placement stopped in %d ms during a %.1f s upload (answered %d), "
                + "served again in %d ms; gRPC calls meanwhile %s", stopMs, seconds, status, restartMs, calls));
        return status == 201;
    }

    /** Printed at once, and appended to the report file if one is named, so a long run shows its progress. */
    private static void report(String line) throws java.io.IOException {
        System.out.println(line);
        String file = System.getProperty("trims.stop.report");
        if (file != null) {
            Files.writeString(Path.of(file), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
