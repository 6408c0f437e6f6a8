package io.trims.protocol.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection's requests in flight and the deadline for the head of its next request (the rules are on
 * {@link ServerTimeouts}). It is touched only on the connection's event loop (a response ended on another thread hops
 * onto it), so it needs no locks.
 */
final class ConnectionWatch {

    private final Vertx vertx;
    private final Context context;
    private final Thread loop = Thread.currentThread();
    private final HttpConnection connection;
    private final long keepAliveMs;
    /** Responses neither ended nor closed yet, pruned whenever the watch looks. */
    private final List<HttpServerResponse> inFlight = new ArrayList<>();
    private boolean awaitingHead = true;
    /** When the awaited head is due ({@link System#nanoTime}); {@link Long#MAX_VALUE}: not bounded. */
    private long dueNanos = Long.MAX_VALUE;
    private long timer = -1;

    /** Called on the connection's event loop as it opens; {@code firstHeadMs} 0 leaves its first head unbounded. */
    ConnectionWatch(Vertx vertx, HttpConnection connection, long keepAliveMs, long firstHeadMs) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.connection = connection;
        this.keepAliveMs = keepAliveMs;
        if (firstHeadMs > 0) {
            awaitHead(firstHeadMs);
        }
    }

    /** A request's head arrived: it is in flight until its response ends or closes. */
    void requestArrived(HttpServerResponse response) {
        inFlight.add(response);
        awaitingHead = false;
        response.endHandler(v -> onLoop(this::answered)).closeHandler(v -> onLoop(this::answered));
        // The application may replace those two handlers (Vert.x Web's end handlers do): a check one bound from now
        // still notices the end, so the bound then counts from that check.
        schedule(keepAliveMs);
    }

    /** The connection closed: nothing left to watch. */
    void closed() {
        cancel();
    }

    private void answered() {
        inFlight.removeIf(ConnectionWatch::done);
        if (inFlight.isEmpty() && !awaitingHead) {
            awaitHead(keepAliveMs);
        }
    }

    private void check() {
        timer = -1;
        inFlight.removeIf(ConnectionWatch::done);
        if (!inFlight.isEmpty()) {
            schedule(keepAliveMs);
        } else if (!awaitingHead) {
            awaitHead(keepAliveMs);
        } else if (dueNanos - System.nanoTime() <= 0) {
            connection.close();
        } else {
            schedule(Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime()) + 1));
        }
    }

    private void awaitHead(long ms) {
        awaitingHead = true;
        dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        schedule(ms);
    }

    private void schedule(long ms) {
        cancel();
        long id = vertx.setTimer(ms, fired -> {
            if (fired == timer) {
                check();
            }
        });
        timer = id;
    }

    private void cancel() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void onLoop(Runnable action) {
        if (Thread.currentThread() == loop) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private static boolean done(HttpServerResponse response) {
        return response.ended() || response.closed();
    }
}
