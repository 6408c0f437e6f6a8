package io.trims.registry;

import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts back, from the manifests in object storage, catalogue records that went missing from the directory or no
 * longer check there (a map cleared or a record forged by someone on the Hazelcast network: the directory ignores
 * such an entry, and this writes the signed one over it). A round reads at most {@link #PER_ROUND} new manifests
 * and republishes at most as many records, so a directory that keeps being cleared costs a bounded rate of
 * object-store reads and directory writes. Versions are immutable, so a manifest read once is kept.
 */
final class CatalogueRepair {

    static final int PER_ROUND = 50;

    private final RegistryStore store;
    /** Manifest key to its record; guarded by this. */
    private final Map<String, ModelRecord> manifests = new HashMap<>();

    CatalogueRepair(RegistryStore store) {
        this.store = store;
    }

    /** One round (blocking: object-store and directory reads); returns how many records it put back. */
    synchronized int round() throws IOException {
        List<String> keys = store.manifestKeys();
        manifests.keySet().retainAll(new HashSet<>(keys));
        int reads = 0;
        for (String key : keys) {
            if (reads >= PER_ROUND) {
                break;
            }
            if (!manifests.containsKey(key)) {
                reads++;
                ModelRecord record = store.manifest(key);
                if (record != null) {
                    manifests.put(key, record);
                }
            }
        }
        Set<ModelId> published = store.published();
        int putBack = 0;
        for (Map.Entry<String, ModelRecord> manifest : manifests.entrySet()) {
            if (putBack >= PER_ROUND) {
                break;
            }
            ModelRecord record = manifest.getValue();
            if (!published.contains(record.id()) && store.putBack(manifest.getKey(), record)) {
                putBack++;
            }
        }
        return putBack;
    }
}
