package io.trims.protocol.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides who a request is and whether it may go on: the one place HTTP ({@link AuthGate}) and gRPC ask. A key is
 * sent as {@code Authorization: Bearer <key>}. A bad key is refused wherever it is sent, also where none is needed,
 * so a client learns of a mistyped key at once; health and metrics ignore the header.
 */
public final class Auth {

    /** What a request needs. */
    public enum Need {
        /** Health, metrics, the live page's static files: no key, whatever is sent. */
        NOTHING,
        /** Reads and inference: a key unless TRIMS_AUTH_OPEN is {@code reads}. */
        READ,
        /** The cluster's state across tenants: the admin key unless TRIMS_AUTH_OPEN is {@code reads}. */
        OPERATOR,
        /** Registering, deleting, loading and unloading: a key of role write or admin, always. */
        WRITE
    }

    private static final String BEARER = "bearer ";

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
        Optional<ApiKeys.Entry> key = authenticate(authorization);
        if (key.isEmpty()) {
            if (need == Need.WRITE || config.open() == AuthConfig.Open.NONE) {
                throw AuthException.unauthenticated("this request needs an API key: send 'Authorization: Bearer <key>'");
            }
            return Caller.ANONYMOUS;
        }
        ApiKeys.Entry entry = key.get();
        boolean admin = entry.role() == Role.ADMIN;
        Caller caller = new Caller(entry.tenant(), entry.role(),
                admin ? 0 : entry.bytes() >= 0 ? entry.bytes() : config.tenantBytes());
        if (need == Need.WRITE && entry.role() == Role.READ) {
            throw AuthException.forbidden("the key of tenant '" + entry.tenant() + "' may only read (role read)");
        }
        if (need == Need.OPERATOR && !caller.admin() && config.open() == AuthConfig.Open.NONE) {
            throw AuthException.forbidden("the cluster's state needs the admin key");
        }
        if (!admin) {
            quotas.charge(entry.tenant(), entry.rps() >= 0 ? entry.rps() : config.tenantRps());
        }
        return caller;
    }

    /** No header: no key. A header that is not a bearer key of ours: 401. */
    private Optional<ApiKeys.Entry> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER) || value.length() == BEARER.length()) {
            throw AuthException.unauthenticated("the Authorization header must be 'Bearer <key>'");
        }
        Optional<ApiKeys.Entry> entry = config.keys().find(value.substring(BEARER.length()).trim());
        if (entry.isEmpty()) {
            throw AuthException.unauthenticated("the API key is not valid");
        }
        return entry;
    }
}
