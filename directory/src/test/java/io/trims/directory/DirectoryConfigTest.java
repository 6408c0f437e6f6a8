package io.trims.directory;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings of a member as the environment gives them, for one process and for the members of one JVM. */
class DirectoryConfigTest {

    @Test
    void aSeparateRoleListensEverywhereOnExactlyItsPort() {
        DirectoryConfig config = DirectoryConfig.fromEnv(Map.of("TRIMS_CLUSTER", "c"));
        assertEquals("0.0.0.0", config.bindAddress());
        assertEquals(5701, config.port());
        assertEquals(1, config.portCount());
        assertEquals(List.of("127.0.0.1"), config.members());
        assertEquals("127.0.0.1", config.publicAddress());
        assertEquals(4, config.heartbeatTimeoutSeconds());

        DirectoryConfig compose = DirectoryConfig.fromEnv(Map.of("TRIMS_CLUSTER", "c",
                "TRIMS_HZ_MEMBERS", "placement, agent-1,agent-2", "TRIMS_HZ_PORT", "5801", "TRIMS_HZ_PORT_COUNT", "3",
                "TRIMS_HZ_HEARTBEAT_TIMEOUT_S", "9"));
        assertEquals(List.of("placement", "agent-1", "agent-2"), compose.members());
        assertNull(compose.publicAddress(), "Hazelcast picks the container's address");
        assertEquals(5801, compose.port());
        assertEquals(3, compose.portCount());
        assertEquals(9, compose.heartbeatTimeoutSeconds());

        DirectoryConfig bound = DirectoryConfig.fromEnv(Map.of("TRIMS_CLUSTER", "c",
                "TRIMS_BIND_ADDRESS", "10.1.2.3", "TRIMS_HZ_MEMBERS", "10.1.2.4"));
        assertEquals("10.1.2.3", bound.publicAddress(), "others reach it where it listens");
    }

    @Test
    void badSettingsNameTheVariable() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> DirectoryConfig.fromEnv(Map.of("TRIMS_CLUSTER", "c", "TRIMS_HZ_PORT", "fifty")));
        assertTrue(port.getMessage().contains("TRIMS_HZ_PORT"), port.getMessage());
        IllegalArgumentException members = assertThrows(IllegalArgumentException.class,
                () -> DirectoryConfig.fromEnv(Map.of("TRIMS_CLUSTER", "c", "TRIMS_HZ_MEMBERS", " , ")));
        assertTrue(members.getMessage().contains("TRIMS_HZ_MEMBERS"), members.getMessage());
        IllegalArgumentException bind = assertThrows(IllegalArgumentException.class,
                () -> LocalMembers.reserve("c", 1, Map.of("TRIMS_BIND_ADDRESS", "192.0.2.77")));
        assertTrue(bind.getMessage().contains("TRIMS_BIND_ADDRESS"), bind.getMessage());
    }

    @Test
    void aSeparateRoleNeedsAClusterNameAndSecret() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> DirectoryConfig.fromEnv(Map.of()));
        assertTrue(name.getMessage().contains("TRIMS_CLUSTER must be set"), name.getMessage());
        IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
                () -> RecordSigner.fromEnv(Map.of()));
        assertTrue(secret.getMessage().contains("TRIMS_CLUSTER_SECRET must be set"), secret.getMessage());
        IllegalArgumentException shortSecret = assertThrows(IllegalArgumentException.class,
                () -> RecordSigner.fromEnv(Map.of("TRIMS_CLUSTER_SECRET", "trims")));
        assertTrue(shortSecret.getMessage().contains("at least 16"), shortSecret.getMessage());
        assertTrue(RecordSigner.embedded(Map.of()) == RecordSigner.thisRun(), "the embedded default makes one up");
    }

    @Test
    void membersOfOneJvmTakeTheAskedPortAndTheNextOnesAndJoinOnlyThose() throws Exception {
        int first = freeRunFrom(24_000, 2);
        try (LocalMembers members = LocalMembers.reserve("ports-" + UUID.randomUUID(), 2,
                Map.of("TRIMS_HZ_PORT", Integer.toString(first), "TRIMS_HZ_HEARTBEAT_TIMEOUT_S", "7"))) {
            DirectoryConfig shape = members.shape();
            assertEquals(List.of("127.0.0.1:" + first, "127.0.0.1:" + (first + 1)), shape.members());
            assertEquals("127.0.0.1", shape.bindAddress());
            assertEquals("127.0.0.1", shape.publicAddress());
            assertEquals(7, shape.heartbeatTimeoutSeconds());
            IllegalStateException taken = assertThrows(IllegalStateException.class, () -> LocalMembers.reserve(
                    "other", 1, Map.of("TRIMS_HZ_PORT", Integer.toString(first + 1))));
            assertTrue(taken.getMessage().contains("TRIMS_HZ_PORT=" + (first + 1)), taken.getMessage());

            DirectoryConfig one = members.next();
            DirectoryConfig two = members.next();
            assertEquals(first, one.port());
            assertEquals(first + 1, two.port());
            assertEquals(1, two.portCount());
            HazelcastInstance a = DirectoryMember.start(one);
            HazelcastInstance b = DirectoryMember.start(two);
            try {
                assertEquals(2, b.getCluster().getMembers().size());
                assertEquals(first + 1, b.getCluster().getLocalMember().getAddress().getPort());
                Optional<InetAddress> outside = nonLoopbackAddress();
                if (outside.isPresent()) {
                    // Bound to loopback: the machine's other addresses do not answer on the member's port.
                    assertThrows(IOException.class, () -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(outside.get(), first), 2_000);
                        }
                    });
                }
            } finally {
                b.getLifecycleService().terminate();
                a.getLifecycleService().terminate();
            }
        }
    }

    private static int freeRunFrom(int from, int count) {
        for (int port = from; port < from + 1000; port++) {
            try (LocalMembers probe = LocalMembers.reserve("probe", count,
                    Map.of("TRIMS_HZ_PORT", Integer.toString(port)))) {
                return probe.shape().port();
            } catch (IllegalStateException taken) {
                // try the next
            }
        }
        throw new IllegalStateException("no free ports from " + from);
    }

    static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
