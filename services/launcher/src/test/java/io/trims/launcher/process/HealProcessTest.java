package io.trims.launcher.process;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.trims.launcher.process.ProcessCluster.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The directory heals itself, on real processes (a placement process and two agents, each its own JVM): the
 * directory's maps cleared by a Hazelcast client are whole again within seconds; an agent frozen (SIGSTOP) past
 * the heartbeat timeout and resumed (SIGCONT) comes back, and once it is killed (SIGKILL) its records go at once,
 * whatever member id they were written under; a restarted placement process serves again within seconds from the
 * agents' kept state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealProcessTest {

    private static final String MODEL = "heal-model";

    private Path work;
    private ProcessCluster cluster;
    private String holder;

    @BeforeAll
    void startCluster() throws Exception {
        work = Files.createTempDirectory("trims-heal-");
        cluster = new ProcessCluster(work, Map.of());
        cluster.startPlacement();
        cluster.startAgent("agent-1", Map.of());
        cluster.startAgent("agent-2", Map.of());
        within(Duration.ofSeconds(30), "both agents in the directory", () -> cluster.readyHosts() == 2);
        assertEquals(201, cluster.upload(MODEL, cluster.model(1)).statusCode());
        HttpResponse<String> first = cluster.infer(MODEL);
        assertEquals(200, first.statusCode(), first.body());
        holder = first.headers().firstValue("trims-host").orElseThrow();
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            // What healed the directory: the sweep of gone members' records, the agents' republishing.
            cluster.logLines(java.util.regex.Pattern.compile("which is gone|repaired|merg")).forEach(System.out::println);
            assertEquals(java.util.List.of(), cluster.crashReports(), "JVM crash reports");
        } finally {
            cluster.close();
            ProcessFiles.delete(work);
        }
    }

    @Test
    @Order(1)
    void aClearedDirectoryIsWholeAgainWithinSeconds() throws Exception {
        Set<String> held = cluster.residencies(holder);
        assertEquals(2, held.size(), "the holder's cpu and disk copies: " + held);
        cluster.clearDirectory();
        long healedMs = within(Duration.ofSeconds(15), "hosts and residencies back",
                () -> cluster.readyHosts() == 2 && cluster.hostRecords().equals(Set.of("agent-1", "agent-2"))
                        && cluster.residencies(holder).equals(held));
        System.out.printf("HealProcessTest: directory whole again %d ms after the clear%n", healedMs);
        HttpResponse<String> warm = cluster.infer(MODEL);
        assertEquals(200, warm.statusCode(), warm.body());
        assertEquals(holder, warm.headers().firstValue("trims-host").orElseThrow());
        assertEquals("cpu", warm.headers().firstValue("trims-tier").orElseThrow());
    }

    @Test
    @Order(2)
    void aFrozenAgentComesBackAndItsRecordsGoOnceItIsKilled() throws Exception {
        ChildJvm agent = cluster.role("agent-2");
        agent.signal("STOP");
        long goneMs = within(Duration.ofSeconds(20), "the frozen agent out of the directory",
                () -> cluster.readyHosts() == 1);
        Thread.sleep(4_000);
        agent.signal("CONT");
        long backMs = within(Duration.ofSeconds(45), "the resumed agent back in the directory",
                () -> cluster.readyHosts() == 2 && cluster.hostRecords().contains("agent-2"));
        agent.kill();
        long removedMs = within(Duration.ofSeconds(15), "the killed agent's records gone",
                () -> cluster.readyHosts() == 1 && !cluster.hostRecords().contains("agent-2")
                        && cluster.residencies("agent-2").isEmpty());
        System.out.printf("HealProcessTest: frozen agent out after %d ms, back %d ms after SIGCONT, its records gone "
                + "%d ms after SIGKILL%n", goneMs, backMs, removedMs);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = cluster.infer(MODEL);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("agent-1", answer.headers().firstValue("trims-host").orElseThrow());
        }
    }

    @Test
    @Order(3)
    void aRestartedPlacementServesAgainWithinSecondsFromTheAgentsState() throws Exception {
        String warmHost = cluster.infer(MODEL).headers().firstValue("trims-host").orElseThrow();
        int status = cluster.role("placement").terminate(Duration.ofSeconds(30));
        assertTrue(status == 0 || status == 143, "placement exit status " + status);
        long start = System.nanoTime();
        cluster.startPlacement();
        within(Duration.ofSeconds(20), "the agent in the new front door's directory", () -> cluster.readyHosts() == 1);
        HttpResponse<String> answer = cluster.infer(MODEL);
        long servingMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(warmHost, answer.headers().firstValue("trims-host").orElseThrow());
        assertEquals("cpu", answer.headers().firstValue("trims-tier").orElseThrow(), "the agent kept its copy");
        System.out.printf("HealProcessTest: restarted placement served a warm request %d ms after its start%n",
                servingMs);
    }
}
