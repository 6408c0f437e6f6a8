package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.LoadCost;
import io.trims.policy.eviction.LruPolicy;
import io.trims.policy.eviction.Resident;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the disk tier finds in its directory at startup, the lazy digest check of those files, and eviction's files:
 * a hit racing an eviction either holds a file that stays until released or misses.
 */
class DiskTierIndexTest {

    private static final int BYTES = 100;

    @TempDir
    Path dir;

    private static ModelId numbered(int i) {
        return new ModelId("m" + i, "1");
    }

    private static ModelRecord record(ModelId id, byte[] content) throws Exception {
        return new ModelRecord(id.name(), id.version(), "models/" + id.name(), DiskTier.sha256(new ByteArrayInputStream(content)),
                content.length, List.of(), List.of(), 0);
    }

    @Test
    void filesAlreadyCachedAreIndexedAndLeftoverPartialsDeleted() throws Exception {
        ModelId id = new ModelId("resnet/v1 with:colon", "3");
        DiskTier first = new DiskTier(dir, 1000, new LruPolicy(Ticker.system()), Ticker.system());
        Files.write(first.fileOf(id), new byte[100]);
        Path partial = Files.write(dir.resolve(".fetch-123.part"), new byte[10]);

        DiskTier tier = new DiskTier(dir, 1000, new LruPolicy(Ticker.system()), Ticker.system());
        assertTrue(tier.contains(id));
        assertEquals(100, tier.usedBytes());
        assertFalse(Files.exists(partial));
    }

    /** Reserve, write the file into place and fill the reservation, as a fetch does. */
    private static void load(DiskTier tier, ModelId id, int bytes) {
        try {
            tier.reserve(id, bytes);
            Files.write(tier.fileOf(id), new byte[bytes]);
            tier.put(id, tier.fileOf(id), bytes, new LoadCost(LoadCost.Source.REMOTE, 1_000));
            tier.release(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aModelReloadedBeforeItsEvictedFileIsDisposedKeepsItsNewFile() throws Exception {
        ModelId x = new ModelId("x", "1");
        ModelId y = new ModelId("y", "1");
        DiskTier tier = new DiskTier(dir, 400, new LruPolicy(Ticker.system()), Ticker.system());
        List<ModelId> evicted = new CopyOnWriteArrayList<>();
        List<ModelId> reloaded = new CopyOnWriteArrayList<>();
        // Both victims leave the tier under its lock, then are disposed one by one: reload the second in between.
        tier.listen((level, r) -> {
            evicted.add(r.id());
            if (evicted.size() == 1) {
                ModelId other = r.id().equals(x) ? y : x;
                load(tier, other, 100);
                reloaded.add(other);
            }
        });
        load(tier, x, 100);
        load(tier, y, 100);
        load(tier, new ModelId("z", "1"), 100);
        tier.reserve(new ModelId("w", "1"), 300);

        ModelId other = reloaded.get(0);
        assertTrue(tier.contains(other));
        assertTrue(Files.exists(tier.fileOf(other)), "the late disposal of the evicted copy left the new file alone");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(tier.fileOf(other)), files.toList(), "evicted copies are deleted, moved aside or not");
        }
    }

    @Test
    void aCachedFileIsVerifiedOnFirstUseAndADamagedOneIsDeleted() throws Exception {
        ModelId good = new ModelId("good", "1");
        ModelId bad = new ModelId("bad", "1");
        byte[] content = {1, 2, 3, 4, 5};
        DiskTier setup = new DiskTier(dir, 1000, new LruPolicy(Ticker.system()), Ticker.system());
        Files.write(setup.fileOf(good), content);
        Files.write(setup.fileOf(bad), new byte[]{1, 2, 3, 4, 6});

        DiskTier tier = new DiskTier(dir, 1000, new LruPolicy(Ticker.system()), Ticker.system());
        assertEquals(setup.fileOf(good), tier.acquireVerified(record(good, content)).orElseThrow());
        tier.release(good);
        assertTrue(tier.acquireVerified(record(bad, content)).isEmpty());
        assertFalse(tier.contains(bad));
        assertFalse(Files.exists(setup.fileOf(bad)), "the damaged copy is deleted");
        assertEquals(content.length, tier.usedBytes());
    }

    @Test
    void aHitRacingAnEvictionEitherHoldsAFileThatStaysOrMisses() throws Exception {
        // Room for half the models: every load evicts one. Hits take no lock, so they race with the evictions.
        DiskTier tier = new DiskTier(dir, 4 * BYTES, new LruPolicy(Ticker.system()), Ticker.system());
        for (int n = 0; n < 4; n++) {
            load(tier, numbered(n), BYTES);
        }
        AtomicInteger hits = new AtomicInteger();
        AtomicInteger loads = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int reader = 0; reader < 3; reader++) {
                work.add(pool.submit(() -> {
                    // Readers go on while the loader evicts, however the threads are scheduled.
                    for (int n = 0; n < 3_000 || loading.get(); n++) {
                        ModelId id = numbered(ThreadLocalRandom.current().nextInt(8));
                        Optional<Path> held = tier.acquire(id);
                        if (held.isPresent()) {
                            hits.incrementAndGet();
                            assertTrue(Files.exists(held.get()), "a held file is never evicted");
                            tier.release(id);
                        }
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                try {
                    for (int n = 0; n < 300; n++) {
                        ModelId id = numbered(n % 8);
                        try {
                            if (!tier.contains(id)) {
                                load(tier, id, BYTES);
                                loads.incrementAndGet();
                            }
                        } catch (TierException busy) {
                            // Every copy the eviction could take was held: the readers win this round.
                        }
                    }
                } finally {
                    loading.set(false);
                }
                return null;
            }));
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertTrue(hits.get() > 0, "readers hit models while they were being evicted");
        assertTrue(loads.get() > 8, "loads evicted models: " + loads.get());
        List<Resident> residents = tier.residents();
        assertEquals(residents.stream().mapToLong(Resident::bytes).sum(), tier.usedBytes());
        assertTrue(tier.usedBytes() <= tier.capacityBytes());
        assertTrue(residents.stream().noneMatch(Resident::inUse), "every hold was released");
        for (Resident r : residents) {
            assertTrue(Files.exists(tier.fileOf(r.id())), "every resident's file is in place: " + r.id());
        }
        try (var files = Files.list(dir)) {
            assertEquals(residents.size(), files.count(), "evicted copies are deleted, moved aside or not");
        }
    }
}
