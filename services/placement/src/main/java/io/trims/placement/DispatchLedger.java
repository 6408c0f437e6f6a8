package io.trims.placement;

import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;
import io.trims.policy.placement.Dispatched;
import io.trims.policy.placement.Placement;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this front door has forwarded and not yet heard back from: requests per host, and per model the hosts it
 * sent a request that will load the model there (a miss, or a copy on disk only), with when the first was sent.
 * Agents publish their queues and loads a moment after they begin, so without this a burst would be spread over
 * every host as misses before the first load is listed. Shared by every instance of the front door; lock-free.
 */
final class DispatchLedger {

    private record Loading(long firstSentAtMillis, int requests) {
    }

    /** One forwarded request, to be handed back when it is answered (or failed). */
    record Ticket(String host, ModelId model, boolean loads) {
    }

    private final Map<String, Integer> requests = new ConcurrentHashMap<>();
    private final Map<ModelId, Map<String, Loading>> loading = new ConcurrentHashMap<>();

    /** What placement should add to the directory's view for a request of {@code model}. */
    Dispatched view(ModelId model) {
        Map<String, Long> sent = new HashMap<>();
        loading.getOrDefault(model, Map.of()).forEach((host, l) -> sent.put(host, l.firstSentAtMillis()));
        return new Dispatched(requests, sent);
    }

    Ticket sent(Placement placement, ModelId model, long nowMillis) {
        boolean loads = placement.heldIn().map(tier -> tier == TierLevel.DISK).orElse(true);
        requests.merge(placement.host(), 1, Integer::sum);
        if (loads) {
            loading.computeIfAbsent(model, m -> new ConcurrentHashMap<>()).merge(placement.host(),
                    new Loading(nowMillis, 1), (was, one) -> new Loading(was.firstSentAtMillis(), was.requests() + 1));
        }
        return new Ticket(placement.host(), model, loads);
    }

    void answered(Ticket ticket) {
        requests.computeIfPresent(ticket.host(), (host, n) -> n > 1 ? n - 1 : null);
        if (ticket.loads()) {
            loading.computeIfPresent(ticket.model(), (model, hosts) -> {
                hosts.computeIfPresent(ticket.host(), (host, l) -> l.requests() > 1
                        ? new Loading(l.firstSentAtMillis(), l.requests() - 1) : null);
                return hosts.isEmpty() ? null : hosts;
            });
        }
    }
}
