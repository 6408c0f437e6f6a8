package io.trims.directory;

import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ports of the members one JVM runs of one cluster (the embedded cluster: the services and one member per
 * agent), reserved together and handed out one per member. The join list is exactly those ports, so the members never
 * send join requests to another cluster on the same machine, and each member binds exactly its own port.
 *
 * <p>With TRIMS_HZ_PORT set the members take that port and the next ones, or fail to start if one is taken. Without
 * it, the first run of free ports from 5701 is used, so two embedded clusters on one machine never share ports. A port
 * is held by a bound socket that does not listen (a join attempt on it is refused at once, another process cannot
 * bind it) until its member is about to bind it, so a cluster starting meanwhile cannot take it either. Should another
 * process bind it in the moment between (it may have looked for ports just then), the member binds the next free port
 * instead, unless TRIMS_HZ_PORT asked for exact ports; it still joins through the others' ports.
 *
 * <p>Also read: TRIMS_BIND_ADDRESS (127.0.0.1), TRIMS_HZ_MEMBERS (the reserved ports on the bind address, or on
 * loopback when that is 0.0.0.0), TRIMS_HZ_PUBLIC_ADDRESS (the bind address, or 127.0.0.1 when that is 0.0.0.0),
 * TRIMS_HZ_HEARTBEAT_TIMEOUT_S (4), TRIMS_CLUSTER_SECRET (one generated for this JVM run).
 */
public final class LocalMembers implements AutoCloseable {

    /** How far past 5701 a run of free ports is looked for. */
    private static final int SEARCH_SPAN = 1000;
    /** Ports a member tries when another process took its own one just before it could bind it. */
    private static final int BIND_ATTEMPTS = 3;

    private final DirectoryConfig shape;
    private final List<Socket> held;
    private final boolean exact;
    private final RecordSigner signer;
    private int next;

    private LocalMembers(DirectoryConfig shape, List<Socket> held, boolean exact, RecordSigner signer) {
        this.shape = shape;
        this.held = held;
        this.exact = exact;
        this.signer = signer;
    }

    /** A cluster of one member on loopback, on the first free port from 5701: tests. */
    public static HazelcastInstance startAlone(String clusterName) {
        try (LocalMembers members = reserve(clusterName, 1, Map.of())) {
            return members.start();
        }
    }

    /** Reserves the ports of {@code count} members of {@code clusterName}. */
    public static LocalMembers reserve(String clusterName, int count, Map<String, String> env) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one member, not " + count);
        }
        String bind = DirectoryConfig.text(env, "TRIMS_BIND_ADDRESS", DirectoryConfig.LOOPBACK);
        requireLocal(bind);
        String reachable = DirectoryConfig.ANY_ADDRESS.equals(bind) ? DirectoryConfig.LOOPBACK : bind;
        String asked = env.get("TRIMS_HZ_PORT");
        boolean exact = asked != null && !asked.isBlank();
        List<Socket> held = !exact
                ? firstFreeRun(bind, count)
                : exactRun(bind, DirectoryConfig.number(env, "TRIMS_HZ_PORT", DirectoryConfig.DEFAULT_PORT), count);
        int first = held.get(0).getLocalPort();
        List<String> ownPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ownPorts.add(reachable + ":" + (first + i));
        }
        List<String> members = env.containsKey("TRIMS_HZ_MEMBERS") ? DirectoryConfig.membersOf(env) : ownPorts;
        DirectoryConfig shape = new DirectoryConfig(clusterName, bind, first, count, members,
                DirectoryConfig.text(env, "TRIMS_HZ_PUBLIC_ADDRESS", reachable), DirectoryConfig.heartbeatOf(env));
        return new LocalMembers(shape, held, exact, RecordSigner.embedded(env));
    }

    /** The settings every member shares; its port is the first one reserved. */
    public DirectoryConfig shape() {
        return shape;
    }

    /**
     * The next member's settings, on its own port, which is released now for it to bind: start the member at once.
     *
     * @throws IllegalStateException when every reserved port has been handed out
     */
    public synchronized DirectoryConfig next() {
        if (next >= held.size()) {
            throw new IllegalStateException("all " + held.size() + " reserved Hazelcast ports are handed out");
        }
        Socket socket = held.get(next++);
        int port = socket.getLocalPort();
        closeQuietly(socket);
        return shape.onPort(port);
    }

    /** Starts the next member ({@link #next}) on its port, or on a free one should another process have taken it. */
    public HazelcastInstance start() {
        DirectoryConfig config = next();
        for (int attempt = 1; ; attempt++) {
            try {
                return DirectoryMember.start(config, signer);
            } catch (IllegalStateException e) {
                if (exact || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
                Socket free = firstFreeRun(shape.bindAddress(), 1).get(0);
                int port = free.getLocalPort();
                closeQuietly(free);
                config = config.onPort(port);
            }
        }
    }

    /** Releases the ports not handed out. */
    @Override
    public synchronized void close() {
        for (int i = next; i < held.size(); i++) {
            closeQuietly(held.get(i));
        }
        next = held.size();
    }

    private static List<Socket> exactRun(String bind, int first, int count) {
        List<Socket> run = tryRun(bind, first, count);
        if (run == null) {
            throw new IllegalStateException("TRIMS_HZ_PORT=" + first + ": the " + count + " Hazelcast ports "
                    + first + ".." + (first + count - 1) + " on " + bind + " are not all free; choose another "
                    + "TRIMS_HZ_PORT, or leave it unset to take the first free ones from " + DirectoryConfig.DEFAULT_PORT);
        }
        return run;
    }

    private static List<Socket> firstFreeRun(String bind, int count) {
        int from = DirectoryConfig.DEFAULT_PORT;
        for (int first = from; first + count - 1 <= Math.min(65535, from + SEARCH_SPAN); first++) {
            List<Socket> run = tryRun(bind, first, count);
            if (run != null) {
                return run;
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive Hazelcast ports on " + bind + " in "
                + from + ".." + (from + SEARCH_SPAN) + "; set TRIMS_HZ_PORT");
    }

    /** Holds {@code first .. first + count - 1}, or returns null (holding none) if any is taken. */
    private static List<Socket> tryRun(String bind, int first, int count) {
        List<Socket> run = new ArrayList<>();
        for (int port = first; port < first + count; port++) {
            Socket socket = new Socket();
            try {
                // Not reusable: a listening socket of any other process on the port makes this bind fail.
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(bind, port));
                run.add(socket);
            } catch (IOException e) {
                // The address was checked to be this machine's: a failure is a port in use.
                closeQuietly(socket);
                run.forEach(LocalMembers::closeQuietly);
                return null;
            }
        }
        return run;
    }

    /** A bind address that is not this machine's would make every port look taken. */
    private static void requireLocal(String bind) {
        try {
            InetAddress address = InetAddress.getByName(bind);
            if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
                    && NetworkInterface.getByInetAddress(address) == null) {
                throw new IllegalArgumentException("TRIMS_BIND_ADDRESS=" + bind + " is not an address of this machine");
            }
        } catch (UnknownHostException | SocketException e) {
            throw new IllegalArgumentException("TRIMS_BIND_ADDRESS=" + bind + " is not an address of this machine: "
                    + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // An unconnected socket: closing releases the port or it was never bound.
        }
    }
}
