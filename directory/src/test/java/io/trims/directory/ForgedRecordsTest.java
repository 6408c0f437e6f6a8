package io.trims.directory;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain Hazelcast client that knows the cluster name (all Hazelcast's open-source edition asks for) writes the
 * maps: what it rewrites, copies between keys or makes up is never believed, and each such entry is counted.
 */
class ForgedRecordsTest extends TwoMembers {

    private HazelcastInstance stranger;

    @BeforeEach
    void connectStranger() {
        ClientConfig config = new ClientConfig();
        config.setClusterName(memberA.getConfig().getClusterName());
        InetSocketAddress at = memberA.getCluster().getLocalMember().getSocketAddress();
        config.getNetworkConfig().addAddress(at.getHostString() + ":" + at.getPort());
        config.setProperty("hazelcast.logging.type", "slf4j");
        // The stranger has trims' classes (they are open source), only not the cluster secret.
        DirectorySerializers.register(config.getSerializationConfig().getCompactSerializationConfig());
        stranger = HazelcastClient.newHazelcastClient(config);
    }

    @AfterEach
    void disconnectStranger() {
        stranger.shutdown();
    }

    @Test
    void aRewrittenEndpointIsNeverBelieved() {
        HostRecord genuine = host("agent-b", "http://10.0.0.2:8081");
        directoryB.publishHost(genuine);
        List<HostRecord> told = new CopyOnWriteArrayList<>();
        AutoCloseable listening = directoryA.listen(new DirectoryListener() {
            @Override
            public void hostChanged(HostRecord host) {
                told.add(host);
            }
        });
        IMap<String, Signed> hosts = stranger.getMap(TierDirectory.HOSTS);
        Signed stored = hosts.get("agent-b");
        HostRecord forged = host("agent-b", "http://forged.example:80");
        hosts.set("agent-b", new Signed(forged, stored.signature()));

        awaitTrue(Duration.ofSeconds(5), () -> directoryA.rejectedRecords().get(TierDirectory.HOSTS) >= 1);
        assertTrue(directoryA.host("agent-b").isEmpty(), "a record whose signature does not check is absent");
        assertFalse(directoryA.snapshot().hosts().containsKey("agent-b"));
        assertTrue(told.stream().noneMatch(h -> h.endpoint().contains("forged")), "listeners never hear of it");

        directoryB.publishHost(genuine);
        assertEquals(genuine, directoryA.host("agent-b").orElseThrow(), "the owner's next write is believed again");
        close(listening);
    }

    @Test
    void aRecordMovedToAnotherKeyOrUnsignedIsDropped() {
        ModelRecord a = model("a", "1", 1);
        ModelRecord b = model("b", "1", 2);
        directoryB.putModel(a);
        directoryB.putModel(b);
        IMap<Object, Object> models = stranger.getMap(TierDirectory.MODELS);
        // b's catalogue entry now holds a's signed record: another model's file and digest under b's name
        models.set(b.id().key(), models.get(a.id().key()));
        models.set("c/1", model("c", "1", 3));
        models.set("d/1", GenericRecordBuilder.compact("trims.Signed").setString("record", "junk").build());
        models.set(42, "not even a record");

        assertTrue(directoryA.model(b.id()).isEmpty(), "b is absent, never answered with a's record");
        assertEquals(List.of(a), directoryA.models(), "a alone is believed");
        assertTrue(directoryA.rejectedRecords().get(TierDirectory.MODELS) >= 4);
    }

    @Test
    void clearedMapsAreRefilledByTheirOwners() {
        directoryB.publishHost(host("agent-b", "http://10.0.0.2:8081"));
        directoryB.putResidency(new Residency("agent-b", "m", "1", TierLevel.CPU, ResidencyState.READY, 10, 1));
        stranger.getMap(TierDirectory.HOSTS).clear();
        stranger.getMap(TierDirectory.RESIDENCIES).clear();
        assertTrue(directoryA.snapshot().hosts().isEmpty());

        directoryB.publishHost(host("agent-b", "http://10.0.0.2:8081"));
        directoryB.putResidency(new Residency("agent-b", "m", "1", TierLevel.CPU, ResidencyState.READY, 10, 1));
        assertEquals(1, directoryA.snapshot().holders(new ModelId("m", "1")).size());
    }

    private HostRecord host(String name, String endpoint) {
        TierRoom room = new TierRoom(100, 0);
        return new HostRecord(name, directoryB.localMemberId(), endpoint, false, room, room, room, 0, 1);
    }

    private static void close(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
