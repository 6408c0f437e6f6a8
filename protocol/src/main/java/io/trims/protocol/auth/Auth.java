package io.trims.protocol.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides who a request is and whether it may go on: the one place HTTP ({@link AuthGate}) and gRPC ask. A key is
 * sent as {@code Authorization: Bearer <key>}. A bad key is refused wherever it is sent, also where none is needed,
 * so a client learns of a mistyped key at once; health and the live page's static files ignore the header.
 */
public final class Auth {

    /** What a request needs. */
    public enum Need {
        /** Health, the live page's static files: no key, whatever is sent. */
        NOTHING,
        /**
         * {@code /metrics}, whose series name every tenant's models, private ones too. With TRIMS_AUTH_OPEN
         * {@code reads}: anyone (no key, or any valid key). Otherwise only the metrics key (TRIMS_METRICS_KEY) or the
         * admin key; no key is 401, a tenant's key (any role) 403. The metrics key passes here and nowhere else.
         */
        METRICS,
        /** Reads and inference: a key unless TRIMS_AUTH_OPEN is {@code reads}. */
        READ,
        /** The cluster's state across tenants: the admin key unless TRIMS_AUTH_OPEN is {@code reads}. */
        OPERATOR,
        /** Registering, deleting, loading and unloading: a key of role write or admin, always. */
        WRITE
    }

    private static final String BEARER = "bearer ";
    private static final String METRICS_KEYS = "the metrics need the metrics key (TRIMS_METRICS_KEY) or the admin key";

    /** What the Authorization header held: nothing, a key of ours, or the metrics key. */
    private record Presented(Optional<ApiKeys.Entry> key, boolean metricsKey) {
        static final Presented NONE = new Presented(Optional.empty(), false);
    }

    private final AuthConfig config;
    private final TenantQuotas quotas;

    public Auth(AuthConfig config) {
        this.config = config;
        this.quotas = new TenantQuotas(System::nanoTime);
    }

    public AuthConfig config() {
        return config;
    }

    /** The admitted caller; an {@link AuthException} (401, 403, 429) when the request may not go on. */
    public Caller admit(String authorization, Need need) {
        if (need == Need.NOTHING) {
            return Caller.ANONYMOUS;
        }
        Presented presented = authenticate(authorization);
        if (need == Need.METRICS) {
            return scrape(presented);
        }
        if (presented.metricsKey()) {
            throw AuthException.forbidden("the metrics key (TRIMS_METRICS_KEY) grants GET /metrics only");
        }
        if (presented.key().isEmpty()) {
            if (need == Need.WRITE || config.open() == AuthConfig.Open.NONE) {
                throw AuthException.unauthenticated("this request needs an API key: send 'Authorization: Bearer <key>'");
            }
            return Caller.ANONYMOUS;
        }
        ApiKeys.Entry entry = presented.key().get();
        Caller caller = caller(entry);
        if (need == Need.WRITE && entry.role() == Role.READ) {
            throw AuthException.forbidden("the key of tenant '" + entry.tenant() + "' may only read (role read)");
        }
        if (need == Need.OPERATOR && !caller.admin() && config.open() == AuthConfig.Open.NONE) {
            throw AuthException.forbidden("the cluster's state needs the admin key");
        }
        if (!caller.admin()) {
            quotas.charge(entry.tenant(), entry.rps() >= 0 ? entry.rps() : config.tenantRps());
        }
        return caller;
    }

    /** {@link Need#METRICS}. A scrape is not charged to a tenant's quota: it is the operator's. */
    private Caller scrape(Presented presented) {
        if (presented.metricsKey()) {
            return Caller.ANONYMOUS;
        }
        Caller caller = presented.key().map(this::caller).orElse(Caller.ANONYMOUS);
        if (caller.admin() || config.open() == AuthConfig.Open.READS) {
            return caller;
        }
        if (caller.anonymous()) {
            throw AuthException.unauthenticated(METRICS_KEYS + ": send 'Authorization: Bearer <key>'");
        }
        // A tenant's key would show it the names of other tenants' private models.
        throw AuthException.forbidden(METRICS_KEYS + ", not the key of tenant '" + caller.tenant() + "'");
    }

    private Caller caller(ApiKeys.Entry entry) {
        boolean admin = entry.role() == Role.ADMIN;
        return new Caller(entry.tenant(), entry.role(),
                admin ? 0 : entry.bytes() >= 0 ? entry.bytes() : config.tenantBytes());
    }

    /**
     * No header: nothing. A header that is not a bearer key of ours nor the metrics key: 401. Both sets are always
     * compared in full, so the time taken does not say which one matched.
     */
    private Presented authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Presented.NONE;
        }
        String value = authorization.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER) || value.length() == BEARER.length()) {
            throw AuthException.unauthenticated("the Authorization header must be 'Bearer <key>'");
        }
        String key = value.substring(BEARER.length()).trim();
        Optional<ApiKeys.Entry> entry = config.keys().find(key);
        boolean metricsKey = config.metricsKey().find(key).isPresent();
        if (entry.isEmpty() && !metricsKey) {
            throw AuthException.unauthenticated("the API key is not valid");
        }
        // A metrics key that is also a tenant's key is the tenant's: the narrower grant never shadows it.
        return entry.isPresent() ? new Presented(entry, false) : new Presented(Optional.empty(), true);
    }
}
