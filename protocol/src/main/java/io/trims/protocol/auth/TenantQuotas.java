package io.trims.protocol.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per tenant, as a token bucket that holds one second's worth: a tenant may burst to its rate,
 * then gets a 429 naming how long to wait. Counted in this process only; several front doors each allow the rate.
 */
final class TenantQuotas {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    TenantQuotas(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Takes a token of {@code tenant}'s bucket of {@code rps}; throws a 429 when it is empty. */
    void charge(String tenant, long rps) {
        if (rps <= 0) {
            return;
        }
        long waitNanos = buckets.computeIfAbsent(tenant, t -> new Bucket(rps, nanos.getAsLong())).take(nanos.getAsLong());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw AuthException.overQuota("tenant '" + tenant + "' is over its quota of " + rps
                    + " requests per second (TRIMS_TENANT_RPS)", seconds);
        }
    }

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long lastNanos;

        Bucket(long rps, long now) {
            this.perNano = rps / 1e9;
            this.capacity = rps;
            this.tokens = rps;
            this.lastNanos = now;
        }

        /** 0 when a token was taken, else how long until one will be there. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - lastNanos) * perNano);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
