package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.LoadCost;
import io.trims.objectstore.ObjectStore;
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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The local-disk tier: one file per model version in a cache directory, named {@code <url-encoded name:version>.onnx}.
 * A fetch streams into a temporary file in the same directory while hashing, and only a copy whose SHA-256 matches
 * the registry's is renamed (atomically) into place. Files found at startup are indexed without reading them; each
 * is verified once, lazily, the first time it is used ({@link #acquireVerified}), so a large cache does not delay
 * startup and a stale or damaged file is still never served.
 */
public final class DiskTier extends BudgetedTier<Path> {

    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);
    private static final String SUFFIX = ".onnx";
    private static final String PARTIAL = ".part";

    private final Path dir;
    /** Files whose digest has been checked against the registry since they were indexed or fetched. */
    private final Set<ModelId> verified = ConcurrentHashMap.newKeySet();

    public DiskTier(Path dir, long capacity, EvictionPolicy policy, Ticker ticker) throws IOException {
        super(TierLevel.DISK, capacity, policy, ticker);
        this.dir = Files.createDirectories(dir);
        index();
    }

    public Path directory() {
        return dir;
    }

    /**
     * Acquires the file of {@code model} if it is here and its digest is right. A file that fails the check is
     * evicted (deleted) and reported absent, so the caller fetches a good copy.
     */
    public Optional<Path> acquireVerified(ModelRecord model) throws IOException {
        ModelId id = model.id();
        Optional<Path> file = acquire(id);
        if (file.isEmpty() || verified.contains(id)) {
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
            verified.add(id);
            return file;
        }
        LOG.warn("cached copy of {} has sha256 {}, the registry says {}; deleting it", id, actual, model.sha256());
        release(id);
        evict(id);
        return Optional.empty();
    }

    /**
     * Fetches a model into its reservation (see {@link #reserve}) and verifies it. On success the file is resident
     * and acquired once by the caller; on any failure the temporary file is deleted and the reservation given back.
     *
     * @return the cached file
     * @throws TierException a corrupt copy when it does not hash to the registry's digest
     */
    public Path fetch(ModelRecord model, ObjectStore store) throws IOException {
        ModelId id = model.id();
        long start = ticker().read();
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
            Path target = fileOf(id);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            verified.add(id);
            put(id, target, size, new LoadCost(LoadCost.Source.REMOTE, ticker().read() - start));
            return target;
        } catch (IOException | RuntimeException e) {
            cancel(id);
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /**
     * Renames the file aside (a temporary name the startup index deletes). Runs outside the tier lock but before a
     * reload's reservation returns, so the reload's file, moved into the fixed place after that, is never the one
     * renamed or deleted here.
     */
    @Override
    protected Path detach(ModelId id, Path file) {
        verified.remove(id);
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
