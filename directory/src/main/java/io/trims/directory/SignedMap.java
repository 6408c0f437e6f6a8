package io.trims.directory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One directory map seen through signatures: every write is signed, and every read (get, scan, entry event)
 * returns only records whose signature, map and key check. What fails is dropped as if absent and counted.
 * The map is typed loosely on purpose: a stranger may have stored anything in it, under any key.
 */
final class SignedMap<V extends Record> {

    private static final Logger LOG = LoggerFactory.getLogger(SignedMap.class);
    private static final long WARN_INTERVAL_MILLIS = 60_000;

    private final String name;
    private final IMap<Object, Object> map;
    private final Class<V> type;
    private final Function<V, String> keyOf;
    private final RecordSigner signer;
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE / 2);

    SignedMap(String name, IMap<Object, Object> map, Class<V> type, Function<V, String> keyOf, RecordSigner signer) {
        this.name = name;
        this.map = map;
        this.type = type;
        this.keyOf = keyOf;
        this.signer = signer;
    }

    void set(V value) {
        String key = keyOf.apply(value);
        map.set(key, new Signed(value, signer.sign(name, key, value)));
    }

    /** The signed record under {@code key}, or null (none, or one that does not check). */
    V get(String key) {
        return open(key, quietly(() -> map.get(key)));
    }

    /** Removes whatever is under {@code key}; returns it if it was a signed record. */
    V remove(String key) {
        return open(key, quietly(() -> map.remove(key)));
    }

    /** Every signed record, by key. */
    Map<String, V> all() {
        Map<String, V> signed = new HashMap<>();
        try {
            map.entrySet().forEach(e -> put(signed, e.getKey(), e.getValue()));
        } catch (RuntimeException e) {
            // Something stored there cannot even be deserialized: read the keys one by one, past it.
            signed.clear();
            for (Object key : quietly(() -> List.copyOf(map.keySet()), List.of())) {
                put(signed, key, key instanceof String k ? quietly(() -> map.get(k)) : null);
            }
        }
        return signed;
    }

    List<V> values() {
        return new ArrayList<>(all().values());
    }

    /** Records signed or dropped so far, for trims_directory_records_rejected_total. */
    long rejected() {
        return rejected.sum();
    }

    String name() {
        return name;
    }

    /** Tells {@code changed} and {@code removed} of signed records only; returns what unregisters it. */
    /** {@code cleared} hears a clear or evict-all, which fires one map event instead of one per entry. */
    Runnable watch(Consumer<V> changed, Consumer<V> removed, Runnable cleared) {
        UUID id = map.addEntryListener(new Events(changed, removed, cleared), true);
        return () -> map.removeEntryListener(id);
    }

    private void put(Map<String, V> into, Object key, Object stored) {
        if (key instanceof String k) {
            V value = open(k, stored);
            if (value != null) {
                into.put(k, value);
            }
        } else {
            reject(String.valueOf(key), "its key is not a string");
        }
    }

    private V open(String key, Object stored) {
        if (stored == null) {
            return null;
        }
        if (!(stored instanceof Signed signed) || !type.isInstance(signed.record())) {
            return reject(key, "it is not a signed " + type.getSimpleName());
        }
        V value = type.cast(signed.record());
        if (!key.equals(keyOf.apply(value))) {
            return reject(key, "it is stored under another record's key");
        }
        if (!signer.verify(name, key, value, signed.signature())) {
            return reject(key, "its signature does not check");
        }
        return value;
    }

    private V reject(String key, String why) {
        rejected.increment();
        // Once a minute at most at WARN: a stranger writing the map must not also flood the log.
        long now = System.currentTimeMillis();
        long last = lastWarned.get();
        boolean warn = now - last >= WARN_INTERVAL_MILLIS && lastWarned.compareAndSet(last, now);
        String message = "directory map {}: ignored the entry under '{}': {} (not written with the cluster secret; "
                + "trims_directory_records_rejected_total counts them)";
        if (warn) {
            LOG.warn(message, name, key, why);
        } else {
            LOG.debug(message, name, key, why);
        }
        return null;
    }

    private static Object quietly(Supplier<Object> read) {
        return quietly(read, null);
    }

    /** A read that deserializes what a stranger stored may fail: that entry is then taken as unreadable. */
    private static <T> T quietly(Supplier<T> read, T otherwise) {
        try {
            return read.get();
        } catch (com.hazelcast.nio.serialization.HazelcastSerializationException | ClassCastException e) {
            return otherwise;
        }
    }

    private final class Events implements EntryAddedListener<Object, Object>, EntryUpdatedListener<Object, Object>,
            EntryRemovedListener<Object, Object>, MapClearedListener, MapEvictedListener {
        private final Consumer<V> changed;
        private final Consumer<V> removed;
        private final Runnable cleared;

        Events(Consumer<V> changed, Consumer<V> removed, Runnable cleared) {
            this.changed = changed;
            this.removed = removed;
            this.cleared = cleared;
        }

        @Override
        public void mapCleared(MapEvent event) {
            cleared.run();
        }

        @Override
        public void mapEvicted(MapEvent event) {
            cleared.run();
        }

        @Override
        public void entryAdded(EntryEvent<Object, Object> event) {
            tell(event, quietly(event::getValue), changed);
        }

        @Override
        public void entryUpdated(EntryEvent<Object, Object> event) {
            tell(event, quietly(event::getValue), changed);
        }

        @Override
        public void entryRemoved(EntryEvent<Object, Object> event) {
            tell(event, quietly(event::getOldValue), removed);
        }

        private void tell(EntryEvent<Object, Object> event, Object stored, Consumer<V> listener) {
            if (stored == null) {
                return;
            }
            V value = event.getKey() instanceof String key ? open(key, stored) : reject("?", "its key is not a string");
            if (value != null) {
                listener.accept(value);
            }
        }
    }
}
