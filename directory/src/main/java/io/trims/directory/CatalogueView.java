package io.trims.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This member's copy of the model catalogue, so that a request's model is found in memory instead of by a
 * Hazelcast read (the newest version of a name is a predicate query there). Filled once when opened, then kept
 * current by the catalogue's entry events, with this member's own writes applied as they return.
 *
 * <p>Readers never lock: the copy is an immutable map, replaced whole on each change under the writers' lock
 * (the catalogue changes rarely, lookups happen on every request). A change made on another member arrives a
 * moment later, so a caller that misses here and must be sure asks the {@link TierDirectory} itself.
 */
public final class CatalogueView implements AutoCloseable {

    /** Every registered version by model name, oldest first. */
    private volatile Map<String, List<ModelRecord>> byName = Map.of();
    /** Keys an event changed while the first fill was being read: the fill must not put back what it read. */
    private Set<String> changedWhileFilling = new HashSet<>();
    private final AutoCloseable subscription;
    private final List<Consumer<ModelRecord>> removalWatchers = new CopyOnWriteArrayList<>();

    private CatalogueView(TierDirectory directory) {
        subscription = directory.followCatalogue(new Follow());
        try {
            fill(directory.models());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts following the catalogue, then reads all of it once (blocking: a Hazelcast read). */
    public static CatalogueView open(TierDirectory directory) {
        return new CatalogueView(directory);
    }

    /** The registered record of a model version. */
    public Optional<ModelRecord> model(ModelId id) {
        return versions(id.name()).stream().filter(r -> r.version().equals(id.version())).findFirst();
    }

    /** The newest registered version of a model: what a request that names no version gets. */
    public Optional<ModelRecord> latest(String name) {
        return ModelRecord.newest(versions(name));
    }

    /** Every registered version of a model, oldest first; empty for an unknown name. */
    public List<ModelRecord> versions(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * Every version that declares {@code task}, by name then age: the task's variants. A pass over the catalogue,
     * which holds versions in the hundreds, not millions.
     */
    public List<ModelRecord> variants(String task) {
        List<ModelRecord> variants = new ArrayList<>();
        for (List<ModelRecord> versions : new TreeMap<>(byName).values()) {
            for (ModelRecord record : versions) {
                if (record.task().declared() && record.task().task().equals(task)) {
                    variants.add(record);
                }
            }
        }
        return variants;
    }

    /** Every task some version declares, by name. */
    public SortedSet<String> tasks() {
        SortedSet<String> tasks = new TreeSet<>();
        byName.values().forEach(versions -> versions.stream().filter(r -> r.task().declared())
                .forEach(r -> tasks.add(r.task().task())));
        return tasks;
    }

    /**
     * Tells {@code watcher} of every version removed from the catalogue (at least once: a removal made here may be
     * told twice), on the thread that learns of it; returns a handle that stops it.
     */
    public AutoCloseable onRemoved(Consumer<ModelRecord> watcher) {
        removalWatchers.add(watcher);
        return () -> removalWatchers.remove(watcher);
    }

    private synchronized void fill(Collection<ModelRecord> all) {
        Map<String, List<ModelRecord>> next = new HashMap<>(byName);
        for (ModelRecord record : all) {
            if (!changedWhileFilling.contains(record.id().key())) {
                put(next, record);
            }
        }
        changedWhileFilling = null;
        byName = Collections.unmodifiableMap(next);
    }

    private synchronized void changed(ModelRecord record, boolean removed) {
        if (changedWhileFilling != null) {
            changedWhileFilling.add(record.id().key());
        }
        Map<String, List<ModelRecord>> next = new HashMap<>(byName);
        if (removed) {
            remove(next, record);
        } else {
            put(next, record);
        }
        byName = Collections.unmodifiableMap(next);
    }

    private static void put(Map<String, List<ModelRecord>> catalogue, ModelRecord record) {
        List<ModelRecord> versions = without(catalogue, record);
        versions.add(record);
        versions.sort(ModelRecord.OLDEST_FIRST);
        catalogue.put(record.name(), List.copyOf(versions));
    }

    private static void remove(Map<String, List<ModelRecord>> catalogue, ModelRecord record) {
        List<ModelRecord> versions = without(catalogue, record);
        if (versions.isEmpty()) {
            catalogue.remove(record.name());
        } else {
            catalogue.put(record.name(), List.copyOf(versions));
        }
    }

    /** The versions of the record's model other than the record's own, as a list to edit. */
    private static List<ModelRecord> without(Map<String, List<ModelRecord>> catalogue, ModelRecord record) {
        List<ModelRecord> versions = new ArrayList<>(catalogue.getOrDefault(record.name(), List.of()));
        versions.removeIf(r -> r.version().equals(record.version()));
        return versions;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop following the catalogue", e);
        }
    }

    /** On a Hazelcast event thread or a writer's: only swaps the in-memory copy. */
    private final class Follow implements DirectoryListener {
        @Override
        public void modelChanged(ModelRecord model) {
            changed(model, false);
        }

        @Override
        public void modelRemoved(ModelRecord model) {
            changed(model, true);
            removalWatchers.forEach(watcher -> watcher.accept(model));
        }
    }
}
