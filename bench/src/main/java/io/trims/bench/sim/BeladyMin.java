package io.trims.bench.sim;

import io.trims.bench.sim.workload.Catalogue;
import io.trims.bench.sim.workload.Trace;

import java.util.Arrays;

/**
 * Belady's MIN over a trace: one cache of {@code capacity} bytes which, to make room, evicts the residents whose
 * next use is farthest in the future (never used again first). Every requested model is admitted (as a request must
 * load its model to run it). With models of one size this is the fewest misses any cache can have; with sizes and
 * load costs that vary it is a reference, not the optimum (which is NP-hard to find): keeping two small models may
 * beat keeping one large one whose next use is nearer. Time plays no part: loads are instant, so a request that in
 * the cluster would wait on a load under way is a hit here.
 *
 * <p>Next uses are precomputed from the trace; residents sit in a max-heap keyed by their next use, whose stale
 * entries are skipped when popped, so a request costs O(log n).
 */
public final class BeladyMin {

    /** Misses (the model was not resident) and the bytes they loaded. */
    public record Count(long requests, long misses, long bytesLoaded) {
        public double missRatio() {
            return requests == 0 ? 0 : (double) misses / requests;
        }
    }

    private BeladyMin() {
    }

    public static Count run(Trace trace, Catalogue catalogue, long capacity) {
        int[] models = trace.models();
        int n = models.length;
        int[] nextUse = nextUses(models, catalogue.size());
        // A resident's key is the index of its next request, or n + model when it has none: unique either way.
        int[] keyOf = new int[catalogue.size()];
        Arrays.fill(keyOf, -1);
        IntMaxHeap heap = new IntMaxHeap(n);
        long used = 0;
        long misses = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int m = models[i];
            boolean hit = keyOf[m] == i;
            keyOf[m] = nextUse[i];
            heap.push(nextUse[i]);
            if (hit) {
                continue;
            }
            long size = catalogue.model(m).bytes();
            misses++;
            bytes += size;
            used += size;
            boolean newcomerPopped = false;
            while (used > capacity && !heap.isEmpty()) {
                int key = heap.pop();
                int victim = key >= n ? key - n : models[key];
                if (keyOf[victim] != key) {
                    continue;
                }
                if (victim == m) {
                    // The newcomer is admitted whatever its next use; it goes back once room is made.
                    newcomerPopped = true;
                    continue;
                }
                keyOf[victim] = -1;
                used -= catalogue.model(victim).bytes();
            }
            if (newcomerPopped) {
                heap.push(keyOf[m]);
            }
        }
        return new Count(n, misses, bytes);
    }

    /** Compulsory misses only: every model is loaded once, on its first request, and never leaves. */
    public static Count infinite(Trace trace, Catalogue catalogue) {
        boolean[] seen = new boolean[catalogue.size()];
        long misses = 0;
        long bytes = 0;
        for (int m : trace.models()) {
            if (!seen[m]) {
                seen[m] = true;
                misses++;
                bytes += catalogue.model(m).bytes();
            }
        }
        return new Count(trace.size(), misses, bytes);
    }

    /** For each request, the index of the next request of the same model, or {@code n + model} if there is none. */
    static int[] nextUses(int[] models, int catalogue) {
        int n = models.length;
        int[] next = new int[n];
        int[] seenAt = new int[catalogue];
        Arrays.fill(seenAt, -1);
        for (int i = n - 1; i >= 0; i--) {
            next[i] = seenAt[models[i]] >= 0 ? seenAt[models[i]] : n + models[i];
            seenAt[models[i]] = i;
        }
        return next;
    }

    /** A binary max-heap of ints that grows as needed. */
    private static final class IntMaxHeap {
        private int[] a;
        private int size;

        IntMaxHeap(int capacity) {
            a = new int[Math.max(16, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * size);
            }
            int i = size++;
            while (i > 0 && a[(i - 1) / 2] < v) {
                a[i] = a[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            a[i] = v;
        }

        int pop() {
            int top = a[0];
            int v = a[--size];
            int i = 0;
            while (2 * i + 1 < size) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] > a[c]) {
                    c++;
                }
                if (a[c] <= v) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = v;
            return top;
        }
    }
}
