package io.trims.protocol.auth;

import io.trims.directory.ModelRecord;
import io.trims.directory.Visibility;
import io.vertx.ext.web.RoutingContext;

/**
 * Who sent a request: the tenant and role of its key, or anonymous (no key, where the configuration lets one in).
 * A caller sees public versions and its own tenant's; the admin sees every version.
 *
 * @param bytesQuota bytes of models its tenant may have registered (TRIMS_TENANT_BYTES or its key's line); 0: no limit
 */
public record Caller(String tenant, Role role, long bytesQuota) {

    /** No key: sees only public versions, owns nothing. */
    public static final Caller ANONYMOUS = new Caller("", Role.READ, 0);
    /** The tenant of the admin key (TRIMS_ADMIN_KEY). */
    public static final String ADMIN_TENANT = "admin";
    static final String CONTEXT_KEY = "trims.caller";

    /** The caller the gate admitted; anonymous on a router without one. */
    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(CONTEXT_KEY);
        return caller == null ? ANONYMOUS : caller;
    }

    public boolean anonymous() {
        return tenant.isEmpty();
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** May this caller see (and call) the version? Another tenant's private version does not exist for it. */
    public boolean sees(ModelRecord model) {
        return model.visibility() == Visibility.PUBLIC || owns(model);
    }

    /** May this caller delete the version, or add versions under its name? */
    public boolean owns(ModelRecord model) {
        return admin() || (!anonymous() && tenant.equals(model.owner()));
    }
}
