package io.trims.services.placement;

import io.trims.agent.v2.V2Exception;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.ModelRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Places one checked request and forwards it, retrying once on another host when the first one is gone: the
 * connection was refused, closed or reset, the agent said 503 (it is shutting down), or it answered 5xx and has
 * left the directory since. A 4xx, or a 5xx from a host that is still alive, is the model's answer and passes
 * through; retrying it elsewhere would only fail twice. A timeout is not retried either: the request may still be
 * running there, and a second copy would double the work.
 */
final class PlacementRouter implements AutoCloseable {

    private final PlacementPolicy policy;
    private final DirectoryView view;
    private final Forwarder forwarder;
    private final PlacementMetrics metrics;
    private final long timeoutMs;

    PlacementRouter(PlacementPolicy policy, DirectoryView view, Forwarder forwarder, PlacementMetrics metrics,
                    long timeoutMs) {
        this.policy = policy;
        this.view = view;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.timeoutMs = timeoutMs;
    }

    Future<Routed> route(ModelRecord model, Buffer body) {
        PlacementRequest request = PlacementRequest.of(model);
        return view.snapshot().compose(snapshot -> attempt(snapshot, request, body, null));
    }

    /** @param earlier what went wrong with the first host, null on the first attempt */
    private Future<Routed> attempt(DirectorySnapshot snapshot, PlacementRequest request, Buffer body, String earlier) {
        Optional<Placement> chosen = policy.place(snapshot, request);
        if (chosen.isEmpty()) {
            String what = "no live host can serve model '" + request.model().name() + "' version '"
                    + request.model().version() + "'";
            return Future.failedFuture(earlier == null
                    ? new V2Exception(503, what)
                    : new V2Exception(502, earlier + ", and " + what + " instead"));
        }
        Placement placement = chosen.get();
        return forwarder.infer(placement, request.model(), body).transform(sent -> {
            if (sent.failed()) {
                return failed(placement, request, body, earlier, sent.cause());
            }
            return answered(placement, request, body, earlier, sent.result());
        });
    }

    private Future<Routed> failed(Placement placement, PlacementRequest request, Buffer body, String earlier,
                                  Throwable cause) {
        if (cause instanceof TimeoutException) {
            return Future.failedFuture(new V2Exception(504,
                    "host '" + placement.host() + "' did not answer within " + timeoutMs + " ms"));
        }
        String what = "host '" + placement.host() + "' failed: " + describe(cause);
        if (earlier != null) {
            return Future.failedFuture(new V2Exception(502, earlier + "; retry " + what));
        }
        return retry(placement, request, body, what);
    }

    private Future<Routed> answered(Placement placement, PlacementRequest request, Buffer body, String earlier,
                                    HttpResponse<Buffer> answer) {
        Routed routed = new Routed(placement, answer);
        if (answer.statusCode() < 500 || earlier != null) {
            return Future.succeededFuture(routed);
        }
        String what = "host '" + placement.host() + "' answered " + answer.statusCode();
        if (answer.statusCode() == 503) {
            return retry(placement, request, body, what);
        }
        return view.fresh().compose(now -> now.host(placement.host()).isPresent()
                ? Future.succeededFuture(routed)
                : retry(placement, request, body, what + " and left the cluster"));
    }

    private Future<Routed> retry(Placement failed, PlacementRequest request, Buffer body, String what) {
        metrics.retried();
        return view.fresh().compose(now -> attempt(now, request.excluding(failed.host()), body, what));
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
