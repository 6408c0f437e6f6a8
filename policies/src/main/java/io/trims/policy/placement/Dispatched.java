package io.trims.policy.placement;

import java.util.Map;
import java.util.Optional;

/**
 * What the front door asking has sent and not yet heard back from. The directory learns of a load or a queue only
 * once an agent publishes it, which in a burst is after many more requests were placed; this fills that gap.
 *
 * @param requests        requests of any model in flight to each host
 * @param missesSentAtMillis for the requested model: hosts a miss was sent to (and when) that have not answered,
 *                        which are loading it whether or not the directory says so yet
 */
public record Dispatched(Map<String, Integer> requests, Map<String, Long> missesSentAtMillis) {

    public static final Dispatched NONE = new Dispatched(Map.of(), Map.of());

    public Dispatched {
        requests = Map.copyOf(requests);
        missesSentAtMillis = Map.copyOf(missesSentAtMillis);
    }

    public int requestsTo(String host) {
        return requests.getOrDefault(host, 0);
    }

    public Optional<Long> missSentTo(String host) {
        return Optional.ofNullable(missesSentAtMillis.get(host));
    }
}
