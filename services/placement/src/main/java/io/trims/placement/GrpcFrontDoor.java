package io.trims.placement;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.trims.protocol.auth.Auth;
import io.trims.protocol.http.Drain;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front door's KServe v2 gRPC endpoint ({@code inference.GRPCInferenceService}), served by grpc-java's own
 * Netty (shaded) server on a port of its own beside the Vert.x HTTP server: the Vert.x gRPC server is not served
 * for the Vert.x version trims runs on. It routes with the same placement, directory copy and in-flight ledger as
 * the REST routes (a {@link FrontDoor#newRouter()} of its own), and takes messages up to TRIMS_MAX_REQUEST_BYTES;
 * a larger one is RESOURCE_EXHAUSTED. Calls are admitted by the same {@link Auth} as REST's ({@link GrpcAuth}).
 */
public final class GrpcFrontDoor implements AutoCloseable {

    /** The port of the separate roles, as Triton's. */
    public static final int DEFAULT_PORT = 8001;
    private static final long CLOSE_PATIENCE_SECONDS = 5;

    private final Server server;
    private final GrpcDrain drain;
    private final Vertx vertx;
    private final PlacementRouter router;
    private final AgentCalls agents;
    private final ExecutorService executor;

    private GrpcFrontDoor(Server server, GrpcDrain drain, Vertx vertx, PlacementRouter router, AgentCalls agents,
                          ExecutorService executor) {
        this.server = server;
        this.drain = drain;
        this.vertx = vertx;
        this.router = router;
        this.agents = agents;
        this.executor = executor;
    }

    /**
     * Starts listening on {@code port} (0: any free port) of {@code bindAddress} (null or blank: every interface).
     * Call from outside Vert.x (startup): the router gets an event-loop context of its own.
     */
    public static GrpcFrontDoor start(Vertx vertx, FrontDoor frontDoor, Auth auth, String bindAddress, int port)
            throws IOException {
        Context context = vertx.getOrCreateContext();
        PlacementRouter router = frontDoor.newRouter();
        AgentCalls agents = frontDoor.newAgentCalls();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads());
        GrpcDrain drain = new GrpcDrain();
        try {
            InetSocketAddress address = bindAddress == null || bindAddress.isBlank()
                    ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress.trim(), port);
            Server server = NettyServerBuilder.forAddress(address)
                    .executor(executor)
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, frontDoor.config().maxRequestBytes()))
                    .addService(ServerInterceptors.intercept(new GrpcInferenceService(frontDoor, router, agents,
                            context, executor), new GrpcAuth(auth), drain))
                    .build()
                    .start();
            return new GrpcFrontDoor(server, drain, vertx, router, agents, executor);
        } catch (IOException | RuntimeException e) {
            router.close();
            agents.close();
            executor.shutdownNow();
            throw new IOException("cannot serve gRPC on port " + port + " (set TRIMS_GRPC_PORT): " + e.getMessage(), e);
        }
    }

    /**
     * TRIMS_GRPC_PORT, else {@code fallback}; a separate role passes {@link #DEFAULT_PORT}, the embedded cluster a
     * port next to its others.
     */
    public static int port(Map<String, String> env, int fallback) {
        String value = env.get("TRIMS_GRPC_PORT");
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("TRIMS_GRPC_PORT must be a port number (0 for any free one), got '"
                    + value + "'");
        }
        return port;
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /**
     * A stop's first step, with the REST edge's drain: from now on new calls are refused (UNAVAILABLE, so a client
     * tries another front door) while those under way go on.
     */
    public void beginDrain() {
        drain.begin();
    }

    /** Completes once no call is under way or {@code patience} has passed, with how many are left. */
    public Future<Integer> awaitDrained(Duration patience) {
        return Drain.until(vertx, drain::inFlight, patience);
    }

    /** Stops taking calls, lets running ones finish for a few seconds, then cuts the rest. */
    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(CLOSE_PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(CLOSE_PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        router.close();
        agents.close();
        executor.shutdown();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "trims-grpc-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
