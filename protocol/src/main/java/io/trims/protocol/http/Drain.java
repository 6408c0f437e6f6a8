package io.trims.protocol.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A server's requests in flight, and its stop's first step: once {@link #begin} is called every new request is
 * answered 503 (its connection closed, so a client's next request opens one to a host still serving) while those
 * under way finish; {@link #awaitIdle} waits for them, up to a grace.
 */
public final class Drain {

    /** Runs before every other route. */
    private static final int FIRST = -1_000_000;
    private static final long POLL_MILLIS = 20;

    private final String what;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /** @param what the server, as a 503's message names it, e.g. {@code "agent agent-1"} */
    public Drain(String what) {
        this.what = what;
    }

    /** Counts every request on {@code router} from its arrival to its end (answered, failed or reset). */
    public AutoCloseable mount(Router router) {
        router.route().order(FIRST).handler(this::arrive);
        return () -> { };
    }

    private void arrive(RoutingContext ctx) {
        // Counted before the check: a drain that begins meanwhile waits for this request too.
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            ctx.response().putHeader("connection", "close");
            HttpErrors.fail(ctx, 503, what + " is stopping");
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    public boolean draining() {
        return draining;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** From now on new requests are refused with 503. */
    public void begin() {
        draining = true;
    }

    /** {@link #begin}s, then completes once no request is in flight or {@code grace} has passed: how many are left. */
    public Future<Integer> awaitIdle(Vertx vertx, Duration grace) {
        begin();
        return until(vertx, inFlight::get, grace);
    }

    /** Completes once {@code count} reads 0 or {@code patience} has passed, with its last reading. */
    public static Future<Integer> until(Vertx vertx, IntSupplier count, Duration patience) {
        if (count.getAsInt() == 0) {
            return Future.succeededFuture(0);
        }
        Promise<Integer> done = Promise.promise();
        long deadline = System.nanoTime() + patience.toNanos();
        vertx.setPeriodic(POLL_MILLIS, id -> {
            int now = count.getAsInt();
            if (now == 0 || System.nanoTime() >= deadline) {
                vertx.cancelTimer(id);
                done.tryComplete(now);
            }
        });
        return done.future();
    }
}
