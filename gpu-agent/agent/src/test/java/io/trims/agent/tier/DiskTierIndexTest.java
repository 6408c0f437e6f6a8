package io.trims.agent.tier;

import io.trims.policy.eviction.LruPolicy;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the disk tier finds in its directory at startup, the lazy digest check of those files, and eviction's files. */
class DiskTierIndexTest {

    @TempDir
    Path dir;

    private static ModelRecord record(ModelId id, byte[] content) throws Exception {
        return new ModelRecord(id.name(), id.version(), "models/" + id.name(), DiskTier.sha256(new ByteArrayInputStream(content)),
                content.length, List.of(), List.of(), 0);
    }

    @Test
    void filesAlreadyCachedAreIndexedAndLeftoverPartialsDeleted() throws Exception {
        ModelId id = new ModelId("resnet/v1 with:colon", "3");
        DiskTier first = new DiskTier(dir, 1000, new LruPolicy());
        Files.write(first.fileOf(id), new byte[100]);
        Path partial = Files.write(dir.resolve(".fetch-123.part"), new byte[10]);

        DiskTier tier = new DiskTier(dir, 1000, new LruPolicy());
        assertTrue(tier.contains(id));
        assertEquals(100, tier.usedBytes());
        assertFalse(Files.exists(partial));
    }

    /** Reserve, write the file into place and fill the reservation, as a fetch does. */
    private static void load(DiskTier tier, ModelId id, int bytes) {
        try {
            tier.reserve(id, bytes);
            Files.write(tier.fileOf(id), new byte[bytes]);
            tier.put(id, tier.fileOf(id), bytes);
            tier.release(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aModelReloadedBeforeItsEvictedFileIsDisposedKeepsItsNewFile() throws Exception {
        ModelId x = new ModelId("x", "1");
        ModelId y = new ModelId("y", "1");
        DiskTier tier = new DiskTier(dir, 400, new LruPolicy());
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
        DiskTier setup = new DiskTier(dir, 1000, new LruPolicy());
        Files.write(setup.fileOf(good), content);
        Files.write(setup.fileOf(bad), new byte[]{1, 2, 3, 4, 6});

        DiskTier tier = new DiskTier(dir, 1000, new LruPolicy());
        assertEquals(setup.fileOf(good), tier.acquireVerified(record(good, content)).orElseThrow());
        tier.release(good);
        assertTrue(tier.acquireVerified(record(bad, content)).isEmpty());
        assertFalse(tier.contains(bad));
        assertFalse(Files.exists(setup.fileOf(bad)), "the damaged copy is deleted");
        assertEquals(content.length, tier.usedBytes());
    }
}
