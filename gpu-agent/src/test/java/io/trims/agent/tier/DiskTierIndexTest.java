package io.trims.agent.tier;

import io.trims.agent.eviction.LruPolicy;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the disk tier finds in its directory at startup, and the lazy digest check of those files. */
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
