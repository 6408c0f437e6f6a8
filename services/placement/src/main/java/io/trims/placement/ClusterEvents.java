package io.trims.placement;

import io.trims.directory.LiveDirectory;
import io.trims.protocol.http.HttpErrors;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live page's server-sent event stream, {@code GET /v1/cluster/events}: on connect a {@code snapshot} event
 * (what {@code GET /v1/cluster} answers), then, from one timer every {@link #TICK_MS} ms, a {@code directory}
 * event when the directory copy changed (hosts, residencies, models: the whole of them, so a client never has to
 * merge), a {@code requests} event with the requests answered since the last one (at most
 * {@link #MAX_REQUESTS_PER_EVENT}, the newest), a {@code rates} event each second, and a comment line as a
 * heartbeat. What is sent per second is so bounded by the timer, not by the request rate.
 *
 * <p>At most {@code maxClients} streams at once; one more is refused with 503. Each stream is written on its own
 * connection's event loop; a client whose write queue is full (it reads slower than the events come) is cut off
 * rather than buffered for; a client that goes away is forgotten.
 */
final class ClusterEvents implements AutoCloseable {

    static final int DEFAULT_MAX_CLIENTS = 16;
    static final long DEFAULT_HEARTBEAT_MS = 15_000;
    static final long TICK_MS = 250;
    static final long RATES_MS = 1_000;
    static final int MAX_REQUESTS_PER_EVENT = 100;
    /** Bytes queued for one client past which it counts as too slow. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;

    private final ClusterState state;
    private final RequestLog requests;
    private final int maxClients;
    private final long heartbeatMs;
    private final Semaphore slots;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean directoryChanged = new AtomicBoolean(true);
    private final AutoCloseable watching;
    private final Vertx vertx;
    private final long timer;
    // Touched by the timer only, which always runs on one context.
    private String lastDirectory = "";
    private long lastSeq;
    private long nextRates;
    private long nextHeartbeat;

    ClusterEvents(Vertx vertx, LiveDirectory live, ClusterState state, RequestLog requests, int maxClients,
                  long heartbeatMs) {
        this.vertx = vertx;
        this.state = state;
        this.requests = requests;
        this.maxClients = maxClients;
        this.heartbeatMs = heartbeatMs;
        this.slots = new Semaphore(maxClients);
        this.watching = live.onChange(() -> directoryChanged.set(true));
        this.timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }

    /** Streams from now on, or fails the request with 503 when {@code maxClients} already listen. */
    void stream(RoutingContext ctx) {
        if (!slots.tryAcquire()) {
            // A full house is expected, not a fault: answered here so it is not logged as a server error.
            HttpErrors.fail(ctx, 503, "the live page already has " + maxClients
                    + " clients listening (its limit); try again later");
            return;
        }
        HttpServerResponse response = ctx.response();
        Client client = new Client(response, Vertx.currentContext());
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                // Compressed, events would wait in the compressor; they are small and few.
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                .setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        response.closeHandler(closed -> client.leave());
        response.exceptionHandler(failure -> client.leave());
        clients.add(client);
        // Events the timer sends meanwhile are queued on this context, behind this write.
        client.send(event("snapshot", state.snapshot().encode()));
    }

    /** Clients listening now. */
    int clients() {
        return clients.size();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        if (clients.isEmpty()) {
            lastSeq = requests.lastSeq();
            return;
        }
        if (directoryChanged.getAndSet(false)) {
            String directory = state.directory().encode();
            if (!directory.equals(lastDirectory)) {
                lastDirectory = directory;
                broadcast(event("directory", directory));
            }
        }
        List<RequestLog.Entry> fresh = requests.since(lastSeq);
        if (!fresh.isEmpty()) {
            lastSeq = fresh.get(fresh.size() - 1).seq();
            JsonArray entries = new JsonArray();
            fresh.subList(Math.max(0, fresh.size() - MAX_REQUESTS_PER_EVENT), fresh.size())
                    .forEach(entry -> entries.add(entry.toJson()));
            broadcast(event("requests", entries.encode()));
        }
        if (now >= nextRates) {
            nextRates = now + RATES_MS;
            broadcast(event("rates", state.rates(now).encode()));
        }
        if (now >= nextHeartbeat) {
            nextHeartbeat = now + heartbeatMs;
            broadcast(": heartbeat\n\n");
        }
    }

    private void broadcast(String frame) {
        clients.forEach(client -> client.context.runOnContext(v -> client.send(frame)));
    }

    /** One event in the text/event-stream format; the data is JSON, which has no raw line breaks. */
    private static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        try {
            watching.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop watching the directory copy", e);
        }
        clients.forEach(client -> client.context.runOnContext(v -> client.end()));
    }

    /** One listening client, written only on the context of its connection. */
    private final class Client {
        final HttpServerResponse response;
        final Context context;
        final AtomicBoolean gone = new AtomicBoolean();

        Client(HttpServerResponse response, Context context) {
            this.response = response;
            this.context = context;
        }

        void send(String frame) {
            if (gone.get()) {
                return;
            }
            if (response.writeQueueFull()) {
                leave();
                // Cuts the connection: what is queued for it is dropped, not sent.
                response.reset();
                return;
            }
            response.write(frame);
        }

        void end() {
            if (leave() && !response.closed()) {
                response.end();
            }
        }

        /** Forgets the client and frees its slot, once; false when it had already left. */
        boolean leave() {
            if (!gone.compareAndSet(false, true)) {
                return false;
            }
            clients.remove(this);
            slots.release();
            return true;
        }
    }
}
