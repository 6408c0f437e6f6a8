package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.LoadCost;
import io.trims.objectstore.ObjectStore;
import io.trims.objectstore.StoreUnavailableException;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The local-disk tier: one file per model version in a cache directory, named {@code <url-encoded name:version>.onnx}.
 * A fetch streams into a temporary file in the same directory while hashing, and only a copy whose SHA-256 matches
 * the registry's is renamed (atomically) into place. Files found at startup are indexed without reading them; each
 * is verified whenever it is loaded into a runnable tier ({@link #acquireVerified}), so a large cache does not delay
 * startup and a stale or damaged file is never served, whenever the damage happened.
 */
public final class DiskTier extends BudgetedTier<Path> {

    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);
    private static final String SUFFIX = ".onnx";
    private static final String PARTIAL = ".part";

    private final Path dir;
    private final AtomicLong corruptCopies = new AtomicLong();

    public DiskTier(Path dir, long capacity, EvictionPolicy policy, Ticker ticker) throws IOException {
        super(TierLevel.DISK, capacity, policy, ticker);
        this.dir = Files.createDirectories(dir);
        index();
    }

    public Path directory() {
        return dir;
    }

    /**
     * Acquires the file of {@code model} if it is here and its digest is right, checked on every call: each load
     * from disk into a runnable tier reads the file, so a file damaged or cut since it was cached (by a disk, a
     * person, another process) is caught there. Reading it first also brings it into the page cache the load reads
     * from. A file that fails the check is evicted (deleted, its directory record withdrawn by the listener) and
     * reported absent, so the caller fetches a good copy.
     */
    public Optional<Path> acquireVerified(ModelRecord model) throws IOException {
        ModelId id = model.id();
        Optional<Path> file = acquire(id);
        if (file.isEmpty()) {
            return file;
        }
        String actual;
        try (InputStream in = Files.newInputStream(file.get())) {
            actual = sha256(in);
        } catch (IOException e) {
            release(id);
            throw e;
        }
        if (actual.equalsIgnoreCase(model.sha256())) {
            return file;
        }
        LOG.warn("cached copy of {} has sha256 {}, the registry says {}; deleting it and fetching it again", id, actual,
                model.sha256());
        corruptCopies.incrementAndGet();
        release(id);
        evict(id);
        return Optional.empty();
    }

    /** Cached files found damaged (digest mismatch) when loaded, since this tier started. */
    public long corruptCopies() {
        return corruptCopies.get();
    }

    /**
     * Fetches a model into its reservation (see {@link #reserve}) and verifies it, trying again as {@code retry}
     * says. On success the file is resident and acquired once by the caller; on any failure each try's temporary
     * file is deleted and the reservation given back.
     *
     * @return the cached file
     * @throws TierException a corrupt copy when it does not hash to the registry's digest; the store unavailable
     *                       when every try failed to reach it or was cut; the disk full
     * @throws java.nio.file.NoSuchFileException when the store has no such object
     */
    public Path fetch(ModelRecord model, ObjectStore store, FetchRetry retry) throws IOException {
        ModelId id = model.id();
        long start = ticker().read();
        try {
            Download copy;
            try {
                copy = retry.run(() -> download(model, store));
            } catch (StoreUnavailableException e) {
                throw TierException.storeUnavailable(model, retry.attempts(), e);
            }
            Path target = fileOf(id);
            try {
                Files.move(copy.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(copy.file());
                throw e;
            }
            put(id, target, copy.size(), new LoadCost(LoadCost.Source.REMOTE, ticker().read() - start));
            return target;
        } catch (IOException | RuntimeException e) {
            cancel(id);
            throw e;
        }
    }

    /** One try: the object streamed into a temporary file while hashing; on any failure that file is deleted. */
    private Download download(ModelRecord model, ObjectStore store) throws IOException {
        Path partial = Files.createTempFile(dir, ".fetch-", PARTIAL);
        try {
            String actual;
            long size;
            try (InputStream remote = store.get(model.objectKey());
                 DigestInputStream in = new DigestInputStream(remote, newDigest());
                 OutputStream out = Files.newOutputStream(partial)) {
                size = in.transferTo(out);
                actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            }
            if (!actual.equalsIgnoreCase(model.sha256())) {
                throw TierException.corruptCopy(model, actual);
            }
            return new Download(partial, size);
        } catch (StoreUnavailableException | NoSuchFileException e) {
            Files.deleteIfExists(partial);
            throw e;
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            // Reads from the store fail as StoreUnavailableException, so this is the local side: the file's disk.
            if (isDiskFull(e)) {
                throw TierException.diskFull(model.id(), model.sizeBytes());
            }
            throw e;
        } catch (RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private static boolean isDiskFull(IOException e) {
        String message = e.getMessage();
        return message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"));
    }

    private record Download(Path file, long size) {
    }

    /**
     * Renames the file aside (a temporary name the startup index deletes). Runs outside the tier lock but before a
     * reload's reservation returns, so the reload's file, moved into the fixed place after that, is never the one
     * renamed or deleted here.
     */
    @Override
    protected Path detach(ModelId id, Path file) {
        Path aside = dir.resolve(".evicted-" + UUID.randomUUID() + PARTIAL);
        try {
            return Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException moveFailed) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete evicted model file {}; the next start indexes it again", file, e);
            }
            return aside;
        }
    }

    @Override
    protected void dispose(ModelId id, Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete cached model " + file, e);
        }
    }

    /** The files stay: they are the cache the next start indexes. */
    @Override
    public void close() {
    }

    Path fileOf(ModelId id) {
        return dir.resolve(URLEncoder.encode(id.key(), StandardCharsets.UTF_8) + SUFFIX);
    }

    private void index() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(PARTIAL)) {
                    Files.deleteIfExists(file);
                    continue;
                }
                Optional<ModelId> id = idOf(name);
                if (id.isEmpty() || !Files.isRegularFile(file)) {
                    continue;
                }
                long size = Files.size(file);
                if (usedBytes() + size > capacityBytes()) {
                    LOG.info("cache over budget at startup: deleting {}", file);
                    Files.delete(file);
                } else {
                    adopt(id.get(), file, size);
                }
            }
        }
    }

    private static Optional<ModelId> idOf(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String key = URLDecoder.decode(fileName.substring(0, fileName.length() - SUFFIX.length()), StandardCharsets.UTF_8);
        int colon = key.lastIndexOf(':');
        return colon <= 0 ? Optional.empty() : Optional.of(new ModelId(key.substring(0, colon), key.substring(colon + 1)));
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
