package io.trims.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierDirectory;
import io.trims.policy.placement.CompletionTime;
import io.trims.policy.placement.Estimate;
import io.trims.policy.placement.Placement;
import io.trims.policy.placement.PlacementPolicy;
import io.trims.policy.placement.PlacementRequest;
import io.trims.protocol.V2Exception;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Places one request and forwards its body, retrying once on another host when the first one is gone or full: the
 * connection was refused, closed or reset, the agent said 503 (it is shutting down) or 429 (its queue is full), or
 * it answered 5xx and has left the directory since. A request with a deadline is not sent to a host the cost model
 * expects to miss it (504, unsent); the forward timeout scales with the predicted time
 * ({@link FrontDoorConfig#forwardTimeoutMs}) and never passes the deadline, whose rest goes to the agent. A 4xx, or a 5xx from a host that is still alive, is the model's answer and passes
 * through; retrying it elsewhere would only fail twice. A timeout is not retried either: the request may still be
 * running there, and a second copy would double the work. Nor is a request whose client has gone: its forward is cut,
 * which takes it out of the agent's queue.
 *
 * <p>When the retry finds no other host, an agent's 5xx answer passes through unchanged (status, body, its trims-*
 * headers): it says more than a 502 of the front door would, e.g. the 503 of the only host, which the client may
 * retry later. A first host that gave no answer at all still ends in a 502.
 *
 * <p>Placement sees the live directory copy plus what this front door has in flight ({@link DispatchLedger}); each
 * answer carries the cost model's estimate for the chosen host, and the estimate is compared with the time the
 * agent took.
 */
final class PlacementRouter implements AutoCloseable {

    /** The status of a request whose client left before its answer (nginx's 499): counted, written to no one. */
    static final int CLIENT_GONE = 499;

    private final Vertx vertx;
    private final PlacementPolicy policy;
    private final TierDirectory directory;
    private final LiveDirectory live;
    private final DispatchLedger ledger;
    private final Forwarder forwarder;
    private final PlacementMetrics metrics;
    private final ModelStatistics statistics;
    private final FrontDoorConfig config;

    PlacementRouter(Vertx vertx, PlacementPolicy policy, TierDirectory directory, LiveDirectory live,
                    DispatchLedger ledger, Forwarder forwarder, PlacementMetrics metrics, ModelStatistics statistics,
                    FrontDoorConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        this.directory = directory;
        this.live = live;
        this.ledger = ledger;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.statistics = statistics;
        this.config = config;
    }

    /**
     * Routes one request; its outcome is counted in the model version's statistics.
     *
     * @param deadlineNanos by when it must have run, on {@link System#nanoTime}'s scale; {@link Long#MAX_VALUE}: never
     * @param clientGone    completes when the client has gone: the forward is cut and not retried
     */
    Future<Routed> route(ModelRecord model, ForwardedBody body, long deadlineNanos, Future<Void> clientGone) {
        long started = System.nanoTime();
        PlacementRequest request = PlacementRequest.of(model);
        return attempt(live.snapshotFor(model.id()), new Forward(request, body, deadlineNanos, clientGone), null)
                .andThen(done -> count(model, done, System.nanoTime() - started));
    }

    private void count(ModelRecord model, AsyncResult<Routed> done, long nanos) {
        AgentAnswer answer = done.succeeded() ? done.result().answer() : null;
        boolean success = answer != null && answer.statusCode() < 400;
        statistics.record(model.id(), success, nanos,
                success ? ModelStatistics.headerNanos(answer.header(ModelStatistics.QUEUE_HEADER)) : -1,
                success ? ModelStatistics.headerNanos(answer.header(ModelStatistics.COMPUTE_HEADER)) : -1);
    }

    /**
     * What went wrong with the first host.
     *
     * @param answer the first host's answer, null when it gave none (the connection failed)
     */
    private record Earlier(String what, Routed answer) {}

    /** One request on its way: what placement is asked, the body, its deadline and the sign that its client left. */
    private record Forward(PlacementRequest request, ForwardedBody body, long deadlineNanos, Future<Void> clientGone) {

        Forward excluding(String host) {
            return new Forward(request.excluding(host), body, deadlineNanos, clientGone);
        }

        long remainingMs() {
            return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : (deadlineNanos - System.nanoTime()) / 1_000_000;
        }
    }

    /** @param earlier what went wrong with the first host, null on the first attempt */
    private Future<Routed> attempt(DirectorySnapshot snapshot, Forward forward, Earlier earlier) {
        if (forward.clientGone().isComplete()) {
            return withdrawn("before it was sent");
        }
        PlacementRequest request = forward.request();
        PlacementRequest asked = request.with(ledger.view(request.model()));
        Optional<Placement> chosen = policy.place(snapshot, asked);
        if (chosen.isEmpty()) {
            if (earlier != null && earlier.answer() != null) {
                return Future.succeededFuture(earlier.answer());
            }
            String what = "no live host can serve model '" + request.model().name() + "' version '"
                    + request.model().version() + "'";
            return Future.failedFuture(earlier == null
                    ? new V2Exception(503, what)
                    : new V2Exception(502, earlier.what() + ", and " + what + " instead"));
        }
        Placement placement = chosen.get();
        Estimate predicted = CompletionTime.of(snapshot, asked).estimate(placement.host()).orElseThrow(
                () -> new IllegalStateException("placement chose '" + placement.host() + "', not in its snapshot"));
        long remainingMs = forward.remainingMs();
        if (remainingMs != Long.MAX_VALUE && (remainingMs <= 0 || predicted.totalMillis() > remainingMs)) {
            metrics.rejected(PlacementMetrics.CANNOT_MEET);
            return Future.failedFuture(new V2Exception(504, String.format(Locale.ROOT, "%s%s: host '%s' is expected "
                            + "to take %.1f ms and %d ms are left of the request's deadline (%s); it was not sent",
                    earlier == null ? "" : earlier.what() + "; ", "the deadline cannot be met", placement.host(),
                    predicted.totalMillis(), Math.max(0, remainingMs), Forwarder.DEADLINE_HEADER)));
        }
        long timeoutMs = config.forwardTimeoutMs(predicted.totalMillis(), remainingMs);
        DispatchLedger.Ticket ticket = ledger.sent(placement, request.model(), snapshot.takenAtMillis());
        long sentAt = System.nanoTime();
        return forwarder.infer(placement, request.model(), forward.body(), timeoutMs, remainingMs, forward.clientGone())
                .transform(sent -> {
                    ledger.answered(ticket);
                    if (sent.failed()) {
                        return failed(placement, forward, earlier, sent.cause(), timeoutMs);
                    }
                    if (sent.result().statusCode() < 400) {
                        metrics.predicted(placement.expectedTier(), predicted.totalNanos(), System.nanoTime() - sentAt);
                    }
                    return answered(placement, predicted, forward, earlier, sent.result());
                });
    }

    private Future<Routed> failed(Placement placement, Forward forward, Earlier earlier, Throwable cause,
                                  long timeoutMs) {
        if (forward.clientGone().isComplete()) {
            return withdrawn("before host '" + placement.host() + "' answered");
        }
        if (cause instanceof TimeoutException) {
            return Future.failedFuture(new V2Exception(504,
                    "host '" + placement.host() + "' did not answer within " + timeoutMs + " ms"));
        }
        String what = "host '" + placement.host() + "' failed: " + describe(cause);
        if (earlier != null) {
            return Future.failedFuture(new V2Exception(502, earlier.what() + "; retry " + what));
        }
        return retry(placement, forward, new Earlier(what, null));
    }

    /**
     * A 429 (the host is full) is tried once on another host, a holder or a new copy, before it is passed on; so is
     * a 503, and a 5xx of a host that has left.
     */
    private Future<Routed> answered(Placement placement, Estimate predicted, Forward forward, Earlier earlier,
                                    AgentAnswer answer) {
        Routed routed = new Routed(placement, predicted, answer);
        int status = answer.statusCode();
        if (earlier != null || (status < 500 && status != 429) || forward.clientGone().isComplete()) {
            return Future.succeededFuture(routed);
        }
        String what = "host '" + placement.host() + "' answered " + status;
        if (status == 503 || status == 429) {
            return retry(placement, forward, new Earlier(what, routed));
        }
        return fresh().compose(now -> now.host(placement.host()).isPresent()
                ? Future.succeededFuture(routed)
                : retry(placement, forward, new Earlier(what + " and left the cluster", routed)));
    }

    /** A request whose client left {@code when}: counted, and answered to no one. */
    private Future<Routed> withdrawn(String when) {
        metrics.cancelled();
        return Future.failedFuture(new V2Exception(CLIENT_GONE,
                "the client left " + when + "; the request was withdrawn"));
    }

    private Future<Routed> retry(Placement failed, Forward forward, Earlier earlier) {
        metrics.retried();
        return fresh().compose(now -> attempt(now, forward.excluding(failed.host()), earlier));
    }

    /** The directory read now, not the live copy: after a failure, to see whether the host has left. */
    private Future<DirectorySnapshot> fresh() {
        return vertx.executeBlocking(directory::snapshot, false);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        forwarder.close();
    }
}
