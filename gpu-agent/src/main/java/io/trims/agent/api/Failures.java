package io.trims.agent.api;

import io.trims.agent.http.HttpErrors;
import io.trims.agent.runtime.InferenceException;
import io.trims.agent.tier.TierException;
import io.trims.agent.v2.V2Exception;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what an agent request can fail with to a status and an {@code {"error": ...}} body. */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    static void answer(RoutingContext ctx, Throwable failure) {
        if (failure instanceof V2Exception e) {
            HttpErrors.fail(ctx, e.status(), e.getMessage());
        } else if (failure instanceof TierException e) {
            HttpErrors.fail(ctx, e.status(), e.getMessage());
        } else if (failure instanceof InferenceException e && e.badInput()) {
            HttpErrors.fail(ctx, 400, e.getMessage());
        } else if (failure instanceof InferenceException e) {
            LOG.warn("inference failed on {}", ctx.request().path(), e);
            HttpErrors.fail(ctx, 500, "inference failed: " + e.getMessage());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
            HttpErrors.fail(ctx, 500, "internal error: " + failure);
        }
    }
}
