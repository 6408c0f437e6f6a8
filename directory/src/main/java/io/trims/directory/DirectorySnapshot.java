package io.trims.directory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the directory at one instant: what policies decide over. Residencies of hosts
 * that are not (or no longer) in {@link #hosts()} are left out, so a policy never routes to a dead holder.
 */
public record DirectorySnapshot(Map<String, HostRecord> hosts, List<Residency> residencies,
                                Map<String, HostStats> stats, long takenAtMillis) {

    public DirectorySnapshot {
        Map<String, HostRecord> alive = Map.copyOf(hosts);
        hosts = alive;
        residencies = residencies.stream().filter(r -> alive.containsKey(r.host())).toList();
        if (alive.keySet().containsAll(stats.keySet())) {
            stats = Map.copyOf(stats);
        } else {
            Map<String, HostStats> measured = new java.util.HashMap<>(stats);
            measured.keySet().retainAll(alive.keySet());
            stats = Map.copyOf(measured);
        }
    }

    /** A snapshot without host statistics. */
    public DirectorySnapshot(Map<String, HostRecord> hosts, List<Residency> residencies, long takenAtMillis) {
        this(hosts, residencies, Map.of(), takenAtMillis);
    }

    public Optional<HostRecord> host(String host) {
        return Optional.ofNullable(hosts.get(host));
    }

    /** What a live host last published about its run times, load rates and queue. */
    public Optional<HostStats> stats(String host) {
        return Optional.ofNullable(stats.get(host));
    }

    /** Every copy of a model version, fastest tier first. */
    public List<Residency> holders(ModelId model) {
        return residencies.stream()
                .filter(r -> r.model().equals(model.name()) && r.version().equals(model.version()))
                .sorted(Comparator.comparingInt(r -> r.tier().rank()))
                .toList();
    }

    /** Every copy held by one host. */
    public List<Residency> residentsOf(String host) {
        return residencies.stream().filter(r -> r.host().equals(host)).toList();
    }
}
