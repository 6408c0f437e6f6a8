package io.trims.gpu.cuda;

import java.util.Map;
import java.util.TreeMap;

/** Bytes held per owner (a model, the runtime), exactly as allocated. Thread-safe. Pure bookkeeping, no CUDA. */
public final class ByteLedger {

    private final Map<String, Long> byOwner = new TreeMap<>();
    private long total;

    public synchronized void add(String owner, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative allocation of " + bytes + " bytes");
        }
        byOwner.merge(owner, bytes, Long::sum);
        total += bytes;
    }

    public synchronized void remove(String owner, long bytes) {
        long held = byOwner.getOrDefault(owner, 0L);
        if (bytes > held) {
            throw new IllegalStateException(owner + " frees " + bytes + " bytes but holds " + held);
        }
        if (held == bytes) {
            byOwner.remove(owner);
        } else {
            byOwner.put(owner, held - bytes);
        }
        total -= bytes;
    }

    public synchronized long of(String owner) {
        return byOwner.getOrDefault(owner, 0L);
    }

    public synchronized long total() {
        return total;
    }

    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(byOwner);
    }
}
