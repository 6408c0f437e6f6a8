package io.trims.directory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * This member's copy of the hosts, their statistics and every residency, kept current by the directory's entry
 * events, so that placing a request reads memory instead of Hazelcast. Residencies are indexed by model version:
 * a request's snapshot holds the hosts and the copies of its model only, built in time proportional to those.
 *
 * <p>Readers never lock. Events are applied under this object's lock, which a {@link #resync} also takes (never
 * while it reads Hazelcast): a resync reads the whole directory and puts back only what no event changed while it
 * was reading, so a slow read never undoes a newer event. One resync fills the copy when it opens; callers may
 * resync now and then as a repair, should an event ever be lost.
 */
public final class LiveDirectory implements AutoCloseable {

    /** The key a whole map's clear marks as changed during a resync. */
    private static final String WHOLE_MAP = "*";

    private final TierDirectory directory;
    private final Map<String, HostRecord> hosts = new ConcurrentHashMap<>();
    private final Map<String, HostStats> stats = new ConcurrentHashMap<>();
    private final Map<ModelId, Map<String, Residency>> copies = new ConcurrentHashMap<>();
    /** Keys events changed while a resync was reading; null when none is. Guarded by this. */
    private Set<String> changedDuringResync;
    private final AutoCloseable subscription;
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    private LiveDirectory(TierDirectory directory) {
        this.directory = directory;
        this.subscription = directory.listen(new Follow());
    }

    /** Starts following the directory, then reads all of it once (blocking: Hazelcast reads). */
    public static LiveDirectory open(TierDirectory directory) {
        LiveDirectory live = new LiveDirectory(directory);
        try {
            live.resync();
        } catch (RuntimeException e) {
            live.close();
            throw e;
        }
        return live;
    }

    /** The live hosts now. */
    public Map<String, HostRecord> hosts() {
        return Map.copyOf(hosts);
    }

    /**
     * Calls {@code watcher} after each change this copy applies, on the thread that applied it (a Hazelcast event
     * thread, or a resync's): it must not block. It is told that something changed, not what: it reads the copy.
     * Closing the handle stops the calls.
     */
    public AutoCloseable onChange(Runnable watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** The hosts, their statistics and the copies of one model version, as of now. */
    public DirectorySnapshot snapshotFor(ModelId model) {
        Map<String, Residency> ofModel = copies.getOrDefault(model, Map.of());
        return new DirectorySnapshot(hosts, List.copyOf(ofModel.values()), stats, System.currentTimeMillis());
    }

    /** Everything, as of now. */
    public DirectorySnapshot snapshot() {
        List<Residency> all = copies.values().stream().flatMap(m -> m.values().stream()).toList();
        return new DirectorySnapshot(hosts, all, stats, System.currentTimeMillis());
    }

    /** Reads the whole directory and installs what no event changed meanwhile (blocking: Hazelcast reads). */
    public void resync() {
        synchronized (this) {
            changedDuringResync = new HashSet<>();
        }
        DirectorySnapshot read;
        try {
            read = directory.snapshot();
        } catch (RuntimeException e) {
            synchronized (this) {
                changedDuringResync = null;
            }
            throw e;
        }
        synchronized (this) {
            Set<String> changed = changedDuringResync;
            changedDuringResync = null;
            install(hosts, read.hosts().values(), HostRecord::host, "h:", changed);
            install(stats, read.stats().values(), HostStats::host, "s:", changed);
            installCopies(read.residencies(), changed);
        }
        watchers.forEach(Runnable::run);
    }

    /** As {@link #install}, copy by copy, so that a reader never finds a model's copies missing meanwhile. */
    private void installCopies(List<Residency> read, Set<String> changed) {
        if (changed.contains("r:" + WHOLE_MAP)) {
            return;
        }
        Map<String, Residency> byKey = new HashMap<>();
        read.forEach(r -> byKey.put(r.key(), r));
        copies.values().stream().flatMap(m -> m.values().stream())
                .filter(r -> !byKey.containsKey(r.key()) && !changed.contains("r:" + r.key()))
                .toList()
                .forEach(this::removeCopy);
        byKey.values().stream().filter(r -> !changed.contains("r:" + r.key())).forEach(this::putCopy);
    }

    /** Makes {@code local} equal to {@code read}, except for keys an event changed during the read. */
    private static <V> void install(Map<String, V> local, Collection<V> read, Function<V, String> key, String kind,
                                    Set<String> changed) {
        if (changed.contains(kind + WHOLE_MAP)) {
            return; // cleared while it was read: the read may hold what the clear removed
        }
        Map<String, V> byKey = new HashMap<>();
        read.forEach(v -> byKey.put(key.apply(v), v));
        local.keySet().removeIf(k -> !byKey.containsKey(k) && !changed.contains(kind + k));
        byKey.forEach((k, v) -> {
            if (!changed.contains(kind + k)) {
                local.put(k, v);
            }
        });
    }

    private void putCopy(Residency r) {
        copies.computeIfAbsent(r.modelId(), m -> new ConcurrentHashMap<>()).put(r.key(), r);
    }

    private void removeCopy(Residency r) {
        copies.computeIfPresent(r.modelId(), (m, byKey) -> {
            byKey.remove(r.key());
            return byKey.isEmpty() ? null : byKey;
        });
    }

    /** Applies one event under the lock, then tells the watchers, outside it, that the copy changed. */
    private void apply(String key, Runnable change) {
        synchronized (this) {
            changed(key);
            change.run();
        }
        watchers.forEach(Runnable::run);
    }

    private void changed(String key) {
        if (changedDuringResync != null) {
            changedDuringResync.add(key);
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop following the directory", e);
        }
    }

    private final class Follow implements DirectoryListener {
        @Override
        public void hostChanged(HostRecord host) {
            apply("h:" + host.host(), () -> hosts.put(host.host(), host));
        }

        @Override
        public void hostRemoved(HostRecord host) {
            apply("h:" + host.host(), () -> hosts.remove(host.host()));
        }

        @Override
        public void hostsCleared() {
            apply("h:" + WHOLE_MAP, hosts::clear);
        }

        @Override
        public void statsChanged(HostStats measured) {
            apply("s:" + measured.host(), () -> stats.put(measured.host(), measured));
        }

        @Override
        public void statsRemoved(HostStats measured) {
            apply("s:" + measured.host(), () -> stats.remove(measured.host()));
        }

        @Override
        public void statsCleared() {
            apply("s:" + WHOLE_MAP, stats::clear);
        }

        @Override
        public void residenciesCleared() {
            apply("r:" + WHOLE_MAP, copies::clear);
        }

        @Override
        public void residencyChanged(Residency residency) {
            apply("r:" + residency.key(), () -> putCopy(residency));
        }

        @Override
        public void residencyRemoved(Residency residency) {
            apply("r:" + residency.key(), () -> removeCopy(residency));
        }
    }
}
