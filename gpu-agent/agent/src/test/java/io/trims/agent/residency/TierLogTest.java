package io.trims.agent.residency;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.agent.tier.CpuTier;
import io.trims.agent.tier.DiskTier;
import io.trims.directory.ModelRecord;
import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LruPolicy;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.trims.agent.testing.TestCluster.await;
import static io.trims.agent.testing.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each change of tier of a model is one INFO line naming the model, both tiers, the bytes and the time. */
class TierLogTest extends ResidencyFixture {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(TierLog.class);
    private ModelResidency residency;

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stop() throws Exception {
        logger.detachAppender(lines);
        if (residency != null) {
            await(residency.stop());
        }
    }

    @Test
    void aFetchALoadAnEvictionAndADeletionEachLogOneLine() throws Exception {
        String host = "logged-" + UUID.randomUUID().toString().substring(0, 8);
        // Room for one model in the CPU tier and two on disk: the second model's load evicts the first to disk.
        DiskTier disk = new DiskTier(cacheDir, 2 * modelBytes, new LruPolicy(Ticker.system()), Ticker.system());
        CpuTier cpu = new CpuTier(modelBytes, new LruPolicy(Ticker.system()), new OnnxCpuRuntime(1), Ticker.system());
        residency = new ModelResidency(vertx, host, cluster.directory(), cluster.store(), disk, cpu,
                new AgentMetrics(new SimpleMeterRegistry(), host), 2);
        await(residency.start("http://127.0.0.1:1"));
        ModelRecord first = cluster.registerMatMulAdd("first-" + UUID.randomUUID().toString().substring(0, 6), "3",
                IN, OUT, 1);
        ModelRecord second = cluster.registerMatMulAdd("second-" + UUID.randomUUID().toString().substring(0, 6), "1",
                IN, OUT, 2);

        await(residency.acquire(first)).close();
        await(residency.acquire(second)).close();
        cluster.directory().removeModel(second.id());
        eventually(5_000, "the deleted model's two copies logged", () -> messages().stream()
                .filter(m -> m.contains("dropped (deleted at the registry) " + second.name())).count() == 2);

        Pattern move = Pattern.compile(Pattern.quote(host) + " (\\w+) (\\S+) v(\\S+): (\\w+) -> (\\w+), (\\d+) bytes in "
                + "(\\d+) ms");
        Pattern left = Pattern.compile(Pattern.quote(host) + " (.+) (\\S+) v(\\S+): (\\w+) -> (\\w+), (\\d+) bytes, "
                + "resident (\\d+) ms, idle (\\d+) ms");
        List<String> expected = List.of(
                "fetched " + first.name() + " 3 remote disk",
                "loaded " + first.name() + " 3 disk cpu",
                "fetched " + second.name() + " 1 remote disk",
                "evicted " + first.name() + " 3 cpu disk",
                "loaded " + second.name() + " 1 disk cpu",
                "dropped (deleted at the registry) " + second.name() + " 1 cpu disk",
                "dropped (deleted at the registry) " + second.name() + " 1 disk out");
        List<String> seen = messages().stream().map(m -> {
            Matcher moved = move.matcher(m);
            Matcher gone = left.matcher(m);
            Matcher match = moved.matches() ? moved : gone;
            assertTrue(match.matches(), "a tier line: " + m);
            assertEquals(modelBytes, Long.parseLong(match.group(6)), "the model's bytes: " + m);
            return String.join(" ", match.group(1), match.group(2), match.group(3), match.group(4), match.group(5));
        }).toList();
        assertEquals(expected, seen);
        assertTrue(lines.list.stream().allMatch(e -> e.getLevel() == Level.INFO));
    }

    private List<String> messages() {
        synchronized (lines.list) {
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
