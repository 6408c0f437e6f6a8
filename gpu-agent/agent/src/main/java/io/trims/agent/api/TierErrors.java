package io.trims.agent.api;

import io.trims.agent.admission.AdmissionException;
import io.trims.agent.admission.RunQueue;
import io.trims.agent.tier.TierException;
import io.trims.protocol.http.HttpErrors;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP edge for tier and admission outcomes: the one place a {@link TierException.Kind} or an
 * {@link AdmissionException.Kind} becomes a status. Installed as a failure handler ahead of {@link HttpErrors},
 * which answers every other failure.
 */
final class TierErrors {

    private static final Logger LOG = LoggerFactory.getLogger(TierErrors.class);

    private TierErrors() {
    }

    static int statusOf(TierException.Kind kind) {
        return switch (kind) {
            case NOT_REGISTERED -> 404;
            // Object storage, the agent's upstream, has no good copy.
            case NOT_IN_STORE, CORRUPT_COPY -> 502;
            // Retry later, or elsewhere: the front door takes a 503 as a reason to try another host.
            case BUSY, STORE_UNAVAILABLE -> 503;
            // Insufficient Storage: no eviction can make room, or the disk itself is full.
            case TOO_BIG, DISK_FULL -> 507;
            case NOT_LOADABLE -> 422;
        };
    }

    static int statusOf(AdmissionException.Kind kind) {
        return switch (kind) {
            case QUEUE_FULL -> 429;
            case DEADLINE_PASSED -> 504;
            case TOO_LARGE -> 413;
            // Nobody is left to read it.
            case CLIENT_GONE -> 503;
        };
    }

    /** Failure handler: answers a tier or admission outcome with its status and message, hands anything else on. */
    static void handleFailure(RoutingContext ctx) {
        if (ctx.failure() instanceof AdmissionException e) {
            if (e.kind() == AdmissionException.Kind.QUEUE_FULL && !ctx.response().headWritten()) {
                ctx.response().putHeader("retry-after", Integer.toString(RunQueue.RETRY_AFTER_SECONDS));
            }
            HttpErrors.fail(ctx, statusOf(e.kind()), e.getMessage());
            return;
        }
        if (!(ctx.failure() instanceof TierException e)) {
            ctx.next();
            return;
        }
        int status = statusOf(e.kind());
        if (status >= 500) {
            LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
        }
        HttpErrors.fail(ctx, status, e.getMessage());
    }

    /** Installs {@link #handleFailure} on every route; call before {@link HttpErrors#install}. */
    static void install(Router router) {
        router.route().failureHandler(TierErrors::handleFailure);
    }
}
