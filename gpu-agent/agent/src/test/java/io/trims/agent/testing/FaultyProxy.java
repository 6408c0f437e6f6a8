package io.trims.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a client and a server (the agent and its S3 server) that misbehaves on demand:
 * it passes bytes through, refuses connections (its port closed), stalls a response after some bytes (the connection
 * stays open, nothing more arrives), or cuts it after some bytes. A change of behaviour drops the connections open
 * until then, so pooled connections of the client take the new behaviour too.
 */
public final class FaultyProxy implements AutoCloseable {

    private enum Mode { PASS, STALL, CUT }

    private final int targetPort;
    private final List<Connection> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private int port;
    private ServerSocket listening;
    private Mode mode = Mode.PASS;
    private long afterBytes;
    /** Connections still to get the fault before the proxy passes again; negative: every one. */
    private int faultsLeft = -1;
    /** Counts mode changes: a connection accepted under an earlier mode is closed, never kept under the old one. */
    private int generation;

    public FaultyProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen();
    }

    public synchronized int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Passes every byte, accepting connections again if it was refusing. */
    public synchronized void pass() throws IOException {
        set(Mode.PASS, 0, -1);
        if (listening == null) {
            listen();
        }
    }

    /** Closes its port: connecting is refused until {@link #pass}. */
    public synchronized void refuse() throws IOException {
        set(Mode.PASS, 0, -1);
        listening.close();
        listening = null;
    }

    /** Every response stops after {@code bytes} (headers included) and never goes on. */
    public synchronized void stallAfter(long bytes) {
        set(Mode.STALL, bytes, -1);
    }

    /** The next {@code times} connections are closed after {@code bytes} of response; later ones pass. */
    public synchronized void cutAfter(long bytes, int times) {
        set(Mode.CUT, bytes, times);
    }

    /** Connections cut so far. */
    public int cuts() {
        return cuts.get();
    }

    @Override
    public synchronized void close() throws IOException {
        set(Mode.PASS, 0, -1);
        if (listening != null) {
            listening.close();
            listening = null;
        }
    }

    private void set(Mode mode, long afterBytes, int times) {
        this.mode = mode;
        this.afterBytes = afterBytes;
        this.faultsLeft = times;
        generation++;
        open.forEach(Connection::close);
    }

    private void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        listening = socket;
        Thread accepting = new Thread(() -> accept(socket), "faulty-proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closed) {
                return;
            }
            Mode given;
            long limit;
            int acceptedIn;
            synchronized (this) {
                acceptedIn = generation;
                given = faultsLeft == 0 ? Mode.PASS : mode;
                limit = given == Mode.PASS ? Long.MAX_VALUE : afterBytes;
                if (given != Mode.PASS && faultsLeft > 0) {
                    faultsLeft--;
                }
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection c = new Connection(client, server, given, limit);
                synchronized (this) {
                    if (acceptedIn != generation) {
                        // The mode changed while this one was being set up: the client connects again.
                        c.close();
                        continue;
                    }
                    open.add(c);
                }
                c.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** One client connection and its connection to the server, each direction pumped by a thread of its own. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final Mode mode;
        private final long limit;
        private final CountDownLatch closed = new CountDownLatch(1);

        Connection(Socket client, Socket server, Mode mode, long limit) {
            this.client = client;
            this.server = server;
            this.mode = mode;
            this.limit = limit;
        }

        void start() {
            daemon(() -> pump(client, server, Long.MAX_VALUE), "faulty-proxy-request");
            daemon(() -> pump(server, client, limit), "faulty-proxy-response");
        }

        private void pump(Socket from, Socket to, long limit) {
            byte[] buffer = new byte[8192];
            long sent = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    int allowed = (int) Math.min(n, limit - sent);
                    out.write(buffer, 0, allowed);
                    out.flush();
                    sent += allowed;
                    if (allowed < n || sent == limit) {
                        if (mode == Mode.CUT) {
                            cuts.incrementAndGet();
                            return;
                        }
                        closed.await(); // stalled: open, silent, until dropped
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side went away: the other goes too
            } finally {
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            closed.countDown();
            open.remove(this);
        }

        private void daemon(Runnable run, String name) {
            Thread t = new Thread(run, name);
            t.setDaemon(true);
            t.start();
        }
    }
}
