package io.trims.launcher;

import io.trims.agent.Agent;
import io.trims.directory.LocalMembers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded cluster on its defaults listens on loopback only, HTTP and Hazelcast alike, and its Hazelcast members
 * take TRIMS_HZ_PORT and the next ports, one per member.
 */
class EmbeddedBindingTest {

    @TempDir
    java.nio.file.Path data;

    @Test
    void everyServerListensOnLoopbackAndTheMembersTakeTheAskedPorts() throws Exception {
        int hzPort = freeRun(26_000, 2);
        try (EmbeddedCluster cluster = TestClusters.start(data, Map.of(
                "TRIMS_AGENTS", "1",
                "TRIMS_INFER_THREADS", "1",
                "TRIMS_SERVICES_INSTANCES", "1",
                "TRIMS_CLUSTER", "binding-" + UUID.randomUUID(),
                "TRIMS_HZ_PORT", Integer.toString(hzPort)))) {
            URI services = URI.create(cluster.url());
            Agent agent = cluster.agents().get(0);
            assertEquals("127.0.0.1", services.getHost());
            assertEquals("http://127.0.0.1:" + agent.port(), agent.endpoint());

            Optional<InetAddress> outside = nonLoopbackAddress();
            for (int port : new int[] {services.getPort(), agent.port(), hzPort, hzPort + 1}) {
                assertTrue(answers(InetAddress.getLoopbackAddress(), port), "127.0.0.1:" + port + " listens");
                if (outside.isPresent()) {
                    assertFalse(answers(outside.get(), port), outside.get() + ":" + port + " does not");
                }
            }
        }
        assertFalse(answers(InetAddress.getLoopbackAddress(), hzPort), "the members left with the cluster");
    }

    private static boolean answers(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port from {@code from} that begins {@code count} free Hazelcast ports. */
    static int freeRun(int from, int count) {
        for (int port = from; port < from + 1000; port++) {
            try (LocalMembers probe = LocalMembers.reserve("probe", count,
                    Map.of("TRIMS_HZ_PORT", Integer.toString(port)))) {
                return probe.shape().port();
            } catch (IllegalStateException taken) {
                // the next one
            }
        }
        throw new IllegalStateException("no free ports from " + from);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
