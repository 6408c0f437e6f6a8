package io.trims.protocol.auth;

import io.trims.protocol.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP edge of {@link Auth}: the first handler of a services router. It says what each path needs, admits the
 * caller (kept on the routing context for {@link Caller#of}) or answers 401 with {@code WWW-Authenticate: Bearer},
 * 403, or 429 with {@code Retry-After}. The key itself is never logged or kept.
 */
public final class AuthGate implements Handler<RoutingContext> {

    private final Auth auth;

    private AuthGate(Auth auth) {
        this.auth = auth;
    }

    /** Installs the gate ahead of every route mounted after it. */
    public static void install(Router router, Auth auth) {
        router.route().order(-1_000).handler(new AuthGate(auth));
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            ctx.put(Caller.CONTEXT_KEY, auth.admit(ctx.request().getHeader("authorization"),
                    need(ctx.request().method(), ctx.normalizedPath())));
        } catch (AuthException e) {
            if (e.status() == 401) {
                ctx.response().putHeader("www-authenticate", "Bearer realm=\"trims\"");
            } else if (e.status() == 429) {
                ctx.response().putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
            }
            HttpErrors.fail(ctx, e.status(), e.getMessage());
            return;
        }
        ctx.next();
    }

    /** What a request needs, by its method and (normalized) path. */
    static Auth.Need need(HttpMethod method, String path) {
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (path.equals("/metrics")) {
            return Auth.Need.METRICS;
        }
        if (path.startsWith("/v2/health/") || path.equals("/") || path.startsWith("/page/")) {
            return Auth.Need.NOTHING;
        }
        if (path.equals("/v1/cluster") || path.startsWith("/v1/cluster/")) {
            return Auth.Need.OPERATOR;
        }
        if ((path.equals("/v1/models") || path.startsWith("/v1/models/")) && !read) {
            return Auth.Need.WRITE;
        }
        if (path.startsWith("/v2/repository/models/") && (path.endsWith("/load") || path.endsWith("/unload"))) {
            return Auth.Need.WRITE;
        }
        return Auth.Need.READ;
    }
}
