package io.trims.directory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two embedded-style clusters (three members each, as the services and two agents) on one machine with the default
 * settings: they take disjoint ports, and in ten seconds neither sends the other a join request, which Hazelcast
 * would log on the receiving side as "Invalid join request".
 */
class JoinIsolationTest {

    private static final Duration OBSERVED = Duration.ofSeconds(10);
    private static final Pattern SENDER = Pattern.compile("join request from \\[[^\\]]*\\]:(\\d+)");

    @Test
    void twoClustersOnOneMachineNeverKnockOnEachOthersPorts() throws Exception {
        Logger hazelcastLog = (Logger) LoggerFactory.getLogger("com.hazelcast");
        Level level = hazelcastLog.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        hazelcastLog.addAppender(captured);
        hazelcastLog.setAdditive(false);
        // Join problems are logged at INFO and WARNING: see both.
        hazelcastLog.setLevel(Level.INFO);
        List<HazelcastInstance> a = new ArrayList<>();
        List<HazelcastInstance> b = new ArrayList<>();
        long started = System.nanoTime();
        try (LocalMembers portsA = LocalMembers.reserve("join-a-" + UUID.randomUUID(), 3, Map.of());
             LocalMembers portsB = LocalMembers.reserve("join-b-" + UUID.randomUUID(), 3, Map.of())) {
            assertNotEquals(portsA.shape().port(), portsB.shape().port());
            assertTrue(Math.abs(portsA.shape().port() - portsB.shape().port()) >= 3, "the port runs do not overlap");
            for (int i = 0; i < 3; i++) {
                a.add(portsA.start());
                b.add(portsB.start());
            }
            long left = OBSERVED.toMillis() - Duration.ofNanos(System.nanoTime() - started).toMillis();
            Thread.sleep(Math.max(0, left));

            for (HazelcastInstance member : a) {
                assertEquals(3, member.getCluster().getMembers().size(), "cluster A has its three members");
            }
            for (HazelcastInstance member : b) {
                assertEquals(3, member.getCluster().getMembers().size(), "cluster B has its three members");
            }
            // Only requests from these two clusters count: a process outside the test may knock on any port.
            Set<Integer> ours = new HashSet<>();
            for (LocalMembers ports : List.of(portsA, portsB)) {
                for (int i = 0; i < 3; i++) {
                    ours.add(ports.shape().port() + i);
                }
            }
            List<String> joinComplaints = captured.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.toLowerCase(Locale.ROOT).contains("invalid join"))
                    .filter(m -> {
                        Matcher from = SENDER.matcher(m);
                        return !from.find() || ours.contains(Integer.parseInt(from.group(1)));
                    })
                    .toList();
            assertEquals(List.of(), joinComplaints, "no member got a join request from the other cluster");
        } finally {
            a.forEach(m -> m.getLifecycleService().terminate());
            b.forEach(m -> m.getLifecycleService().terminate());
            hazelcastLog.detachAppender(captured);
            hazelcastLog.setAdditive(true);
            hazelcastLog.setLevel(level);
        }
    }
}
