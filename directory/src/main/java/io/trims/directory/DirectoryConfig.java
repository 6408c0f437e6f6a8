package io.trims.directory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a directory member joins the cluster.
 *
 * @param clusterName       members join only a cluster of the same name
 * @param port              first port to bind; the next free one up to {@code port + 99} is taken
 * @param members           TCP-IP join list: addresses, optionally {@code host:port}
 * @param publicAddress     address other members should use to reach this one, or null to let Hazelcast choose
 * @param heartbeatTimeoutSeconds a member silent this long is declared dead and its records are removed
 */
public record DirectoryConfig(String clusterName, int port, List<String> members, String publicAddress,
                              int heartbeatTimeoutSeconds) {

    public DirectoryConfig {
        members = List.copyOf(members);
    }

    /** One machine, loopback only: the embedded default and tests. */
    public static DirectoryConfig local(String clusterName) {
        return new DirectoryConfig(clusterName, 5701, List.of("127.0.0.1"), "127.0.0.1", 4);
    }

    /** Reads TRIMS_CLUSTER, TRIMS_HZ_PORT, TRIMS_HZ_MEMBERS, TRIMS_HZ_PUBLIC_ADDRESS, TRIMS_HZ_HEARTBEAT_TIMEOUT_S. */
    public static DirectoryConfig fromEnv(Map<String, String> env) {
        String members = env.getOrDefault("TRIMS_HZ_MEMBERS", "127.0.0.1");
        return new DirectoryConfig(
                env.getOrDefault("TRIMS_CLUSTER", "trims"),
                Integer.parseInt(env.getOrDefault("TRIMS_HZ_PORT", "5701")),
                Arrays.stream(members.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                env.getOrDefault("TRIMS_HZ_PUBLIC_ADDRESS", members.equals("127.0.0.1") ? "127.0.0.1" : null),
                Integer.parseInt(env.getOrDefault("TRIMS_HZ_HEARTBEAT_TIMEOUT_S", "4")));
    }
}
