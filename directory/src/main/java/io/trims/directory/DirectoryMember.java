package io.trims.directory;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Starts a Hazelcast member configured for the directory. */
public final class DirectoryMember {

    private DirectoryMember() {
    }

    public static HazelcastInstance start(DirectoryConfig settings) {
        return Hazelcast.newHazelcastInstance(config(settings));
    }

    static Config config(DirectoryConfig settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.heartbeatTimeoutSeconds()));
        // A join-list address without a port is probed on this many ports from the configured one; 3 (the default)
        // is too few on a machine where other clusters already hold the first ports.
        config.setProperty("hazelcast.tcp.join.port.try.count", "10");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(true).setPortCount(100);
        if (settings.publicAddress() != null) {
            network.setPublicAddress(settings.publicAddress());
            network.getInterfaces().setEnabled(false);
            config.setProperty("hazelcast.local.localAddress", settings.publicAddress());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        DirectorySerializers.register(config.getSerializationConfig().getCompactSerializationConfig());
        return config;
    }
}
