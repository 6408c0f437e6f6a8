package io.trims.directory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a directory member joins the cluster.
 *
 * @param clusterName       members join only a cluster of the same name
 * @param bindAddress       the address the member listens on; {@link #ANY_ADDRESS} listens on every interface
 * @param port              first port to bind
 * @param portCount         the member takes the first free port of {@code port .. port + portCount - 1}, and a
 *                          join-list address without a port is looked for on those ports only, so a member never
 *                          knocks on the ports of another cluster on the same machine
 * @param members           TCP-IP join list: addresses, optionally {@code host:port}; nothing else is probed
 * @param publicAddress     address other members should use to reach this one, or null to let Hazelcast choose
 * @param heartbeatTimeoutSeconds a member silent this long is declared dead and its records are removed
 */
public record DirectoryConfig(String clusterName, String bindAddress, int port, int portCount, List<String> members,
                              String publicAddress, int heartbeatTimeoutSeconds) {

    public static final int DEFAULT_PORT = 5701;
    public static final String ANY_ADDRESS = "0.0.0.0";
    public static final String LOOPBACK = "127.0.0.1";

    public DirectoryConfig {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("TRIMS_HZ_MEMBERS must name at least one address");
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("TRIMS_BIND_ADDRESS must be an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (portCount < 1 || port < 1 || port + portCount - 1 > 65535) {
            throw new IllegalArgumentException("TRIMS_HZ_PORT and TRIMS_HZ_PORT_COUNT must give ports within "
                    + "1..65535, not " + port + " and " + portCount);
        }
        if (heartbeatTimeoutSeconds < 1) {
            throw new IllegalArgumentException("TRIMS_HZ_HEARTBEAT_TIMEOUT_S must be at least 1, not "
                    + heartbeatTimeoutSeconds);
        }
    }

    /** Listens on every interface rather than on one address. */
    boolean bindsAny() {
        return ANY_ADDRESS.equals(bindAddress) || "::".equals(bindAddress);
    }

    /** The same settings on exactly one port. */
    DirectoryConfig onPort(int exactPort) {
        return new DirectoryConfig(clusterName, bindAddress, exactPort, 1, members, publicAddress,
                heartbeatTimeoutSeconds);
    }

    /**
     * One process, one member (the separate roles, which run in containers): reads TRIMS_CLUSTER (required),
     * TRIMS_BIND_ADDRESS (0.0.0.0), TRIMS_HZ_PORT (5701), TRIMS_HZ_PORT_COUNT (1), TRIMS_HZ_MEMBERS (127.0.0.1),
     * TRIMS_HZ_PUBLIC_ADDRESS (127.0.0.1 with the default join list, else the bind address unless that is 0.0.0.0,
     * else unset) and TRIMS_HZ_HEARTBEAT_TIMEOUT_S (4).
     */
    public static DirectoryConfig fromEnv(Map<String, String> env) {
        String bind = text(env, "TRIMS_BIND_ADDRESS", ANY_ADDRESS);
        List<String> members = membersOf(env);
        String fallbackPublic = members.equals(List.of(LOOPBACK)) ? LOOPBACK
                : ANY_ADDRESS.equals(bind) ? null : bind;
        return new DirectoryConfig(
                clusterNameOf(env),
                bind,
                number(env, "TRIMS_HZ_PORT", DEFAULT_PORT),
                number(env, "TRIMS_HZ_PORT_COUNT", 1),
                members,
                text(env, "TRIMS_HZ_PUBLIC_ADDRESS", fallbackPublic),
                heartbeatOf(env));
    }

    /**
     * TRIMS_CLUSTER, required: a guessable default would let any process on the network join by knowing it (the
     * embedded default makes up a random one).
     */
    static String clusterNameOf(Map<String, String> env) {
        String name = text(env, "TRIMS_CLUSTER", null);
        if (name == null) {
            throw new IllegalArgumentException("TRIMS_CLUSTER must be set outside the embedded role: the name "
                    + "every member of this cluster shares; choose one others cannot guess");
        }
        return name;
    }

    /** TRIMS_HZ_MEMBERS as a list (127.0.0.1 when unset). */
    static List<String> membersOf(Map<String, String> env) {
        return Arrays.stream(text(env, "TRIMS_HZ_MEMBERS", LOOPBACK).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static int heartbeatOf(Map<String, String> env) {
        return number(env, "TRIMS_HZ_HEARTBEAT_TIMEOUT_S", 4);
    }

    static String text(Map<String, String> env, String key, String fallback) {
        String value = env.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static int number(Map<String, String> env, String key, int fallback) {
        String value = env.get(key);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'", e);
        }
    }
}
