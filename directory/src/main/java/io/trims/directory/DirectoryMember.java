package io.trims.directory;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;

/** Starts a Hazelcast member configured for the directory. */
public final class DirectoryMember {

    /** How soon, and how often, a member alone in a split cluster looks for the rest to merge with. */
    static final int MERGE_DELAY_SECONDS = 5;

    private DirectoryMember() {
    }

    /** A member signing with this JVM run's generated secret ({@link RecordSigner#thisRun()}): one JVM's cluster. */
    public static HazelcastInstance start(DirectoryConfig settings) {
        return start(settings, RecordSigner.thisRun());
    }

    /** A member whose directories sign and check records with {@code signer}; every member must share it. */
    public static HazelcastInstance start(DirectoryConfig settings, RecordSigner signer) {
        Config config = config(settings);
        config.getUserContext().put(RecordSigner.CONTEXT_KEY, signer);
        try {
            return Hazelcast.newHazelcastInstance(config);
        } catch (HazelcastException e) {
            int last = settings.port() + settings.portCount() - 1;
            throw new IllegalStateException("cannot start the Hazelcast member on " + settings.bindAddress() + ":"
                    + settings.port() + (last > settings.port() ? ".." + last : "")
                    + " (TRIMS_BIND_ADDRESS, TRIMS_HZ_PORT, TRIMS_HZ_PORT_COUNT): " + e.getMessage(), e);
        }
    }

    static Config config(DirectoryConfig settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.heartbeatTimeoutSeconds()));
        // A member removed while it was frozen (or cut off) forms a cluster of its own when it resumes; it is merged
        // back within seconds, not Hazelcast's default five minutes, during which placement would not see it.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        // A join-list address without a port is looked for on this member's own port range only: probing further
        // would knock on other clusters' members on this machine, and each logs an "invalid join request".
        config.setProperty("hazelcast.tcp.join.port.try.count", Integer.toString(settings.portCount()));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(settings.portCount() > 1)
                .setPortCount(settings.portCount());
        if (!settings.bindsAny()) {
            // Listen on that address only; it is also the address the member picks for itself.
            config.setProperty("hazelcast.socket.bind.any", "false");
            config.setProperty("hazelcast.local.localAddress", settings.bindAddress());
        } else if (settings.publicAddress() != null) {
            config.setProperty("hazelcast.local.localAddress", settings.publicAddress());
        }
        network.getInterfaces().setEnabled(false);
        if (settings.publicAddress() != null) {
            network.setPublicAddress(settings.publicAddress());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        DirectorySerializers.register(config.getSerializationConfig().getCompactSerializationConfig());
        // Anyone on the Hazelcast network may store a Java-serialized object: refuse the known gadget classes.
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        return config;
    }
}
