package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.trims.objectstore.ObjectStore;
import io.trims.protocol.V2Exception;
import io.trims.protocol.auth.AuthException;
import io.trims.protocol.auth.Caller;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TaskProfile;
import io.trims.directory.TierDirectory;
import io.trims.directory.Visibility;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry's blocking half: the catalogue is the directory's model map, backed by the object store where
 * each version has its {@code model.onnx} and a {@code manifest.json} holding its record. Run on a worker pool.
 */
final class RegistryStore {

    static final String MODELS_PREFIX = "models/";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);
    private static final Comparator<ModelRecord> ORDER =
            Comparator.comparing(ModelRecord::name).thenComparingLong(ModelRecord::createdAtMillis);

    private final ObjectStore store;
    private final TierDirectory directory;
    private final GpuCheck gpuCheck;

    RegistryStore(ObjectStore store, TierDirectory directory, GpuCheck gpuCheck) {
        this.store = store;
        this.directory = directory;
        this.gpuCheck = gpuCheck;
    }

    /**
     * A 409 if the version is registered already (versions are immutable) or was deleted: a client that cached
     * answers of version 1 must never get another model's answers under that name; a 409 too if the name is
     * another tenant's (a name's versions have one owner). Then a 429 if {@code incoming} more bytes would take the
     * caller's tenant past its quota.
     */
    void checkAbsent(ModelId id, Caller caller, long incoming) throws IOException {
        List<ModelRecord> versions = directory.versions(id.name());
        if (!caller.admin() && versions.stream().anyMatch(v -> !v.owner().equals(caller.tenant()))) {
            throw new V2Exception(409, "model name '" + id.name() + "' is taken by another tenant");
        }
        checkQuota(caller, incoming);
        if (directory.model(id).isPresent()) {
            throw new V2Exception(409, "model '" + id.name() + "' version '" + id.version()
                    + "' exists; versions are immutable, delete it first");
        }
        if (deleted(id)) {
            throw new V2Exception(409, "version " + id.version() + " of '" + id.name()
                    + "' was deleted; versions are never reused");
        }
    }

    /** A 429 if the tenant's registered bytes and {@code incoming} more exceed its quota (0: none). */
    private void checkQuota(Caller caller, long incoming) {
        if (caller.bytesQuota() <= 0) {
            return;
        }
        long used = directory.models().stream().filter(m -> m.owner().equals(caller.tenant()))
                .mapToLong(ModelRecord::sizeBytes).sum();
        if (used + incoming > caller.bytesQuota()) {
            throw AuthException.overQuota("tenant '" + caller.tenant() + "' has " + used + " bytes of models "
                    + "registered; " + incoming + " more would pass its quota of " + caller.bytesQuota()
                    + " bytes (TRIMS_TENANT_BYTES)", 0);
        }
    }

    private boolean deleted(ModelId id) throws IOException {
        return store.size(ModelNames.tombstoneKey(id.name(), id.version())).isPresent();
    }

    /**
     * Reads the spooled file as a model (a {@link NotAModelException} if it is not one), takes its signature, asks
     * the GPU check whether it is CPU-only, stores it and its manifest, then publishes the record, owned by the
     * caller's tenant.
     */
    ModelRecord register(ModelId id, Path file, String sha256, long size, Caller caller, Visibility visibility,
                         Function<Long, TaskProfile> task)
            throws IOException {
        ModelProto model = OnnxModelFile.read(file);
        OnnxSignatures.Signature signature = OnnxSignatures.of(model);
        checkAbsent(id, caller, size);
        String cpuOnlyBecause = gpuCheck.unsupportedReason(model).orElse("");
        if (!cpuOnlyBecause.isEmpty()) {
            LOG.info("model {} is registered CPU-only: {}", id, cpuOnlyBecause);
        }
        String modelKey = ModelNames.modelKey(id.name(), id.version());
        ModelRecord record = new ModelRecord(id.name(), id.version(), modelKey, sha256, size, signature.inputs(),
                signature.outputs(), System.currentTimeMillis(), cpuOnlyBecause, caller.tenant(), visibility,
                task.apply(size));
        try (InputStream in = Files.newInputStream(file)) {
            store.put(modelKey, in, size);
        }
        publish(record);
        return record;
    }

    /** The version's task profile changed as {@code patch} says, in its manifest and then in the catalogue. */
    ModelRecord updateTask(ModelId id, JsonObject patch, Caller caller) throws IOException {
        ModelRecord current = get(id, caller);
        if (!caller.owns(current)) {
            throw new V2Exception(403, "model '" + id.name() + "' version '" + id.version()
                    + "' belongs to another tenant; only it or the admin may change it");
        }
        ModelRecord updated = current.withTask(TaskDeclarations.patched(current.task(), patch, current.sizeBytes()));
        publish(updated);
        return updated;
    }

    /** The manifest first, so that a restart restores what the catalogue showed. */
    private void publish(ModelRecord record) throws IOException {
        byte[] manifest = ModelRecordJson.toJson(record).encodePrettily().getBytes(StandardCharsets.UTF_8);
        store.put(ModelNames.manifestKey(record.name(), record.version()), new ByteArrayInputStream(manifest),
                manifest.length);
        directory.putModel(record);
    }

    /** Every version {@code caller} sees. */
    List<ModelRecord> all(Caller caller) {
        return directory.models().stream().filter(caller::sees).sorted(ORDER).toList();
    }

    List<ModelRecord> versions(String name, Caller caller) {
        List<ModelRecord> versions = directory.versions(name).stream().filter(caller::sees).toList();
        if (versions.isEmpty()) {
            throw V2Exception.notFound("no model '" + name + "'");
        }
        return versions;
    }

    /** The version; a 404 as for one never registered if {@code caller} may not see it. */
    ModelRecord get(ModelId id, Caller caller) {
        return directory.model(id).filter(caller::sees).orElseThrow(() -> notFound(id));
    }

    /**
     * The tombstone first, then the manifest, so a restart cannot bring back a half-deleted version; then the
     * record, then the bytes.
     */
    void delete(ModelId id, Caller caller) throws IOException {
        ModelRecord record = get(id, caller);
        if (!caller.admin() && !record.owner().equals(caller.tenant())) {
            throw new V2Exception(403, "model '" + id.name() + "' version '" + id.version()
                    + "' belongs to another tenant; only it or the admin may delete it");
        }
        byte[] tombstone = new JsonObject().put("name", id.name()).put("version", id.version())
                .put("deleted_at_millis", System.currentTimeMillis()).encode().getBytes(StandardCharsets.UTF_8);
        store.put(ModelNames.tombstoneKey(id.name(), id.version()), new ByteArrayInputStream(tombstone), tombstone.length);
        store.delete(ModelNames.manifestKey(id.name(), id.version()));
        directory.removeModel(id);
        store.delete(record.objectKey());
    }

    /** Puts every version whose manifest is in the store back into the catalogue; returns how many. */
    int restore() throws IOException {
        int restored = 0;
        for (String key : manifestKeys()) {
            ModelRecord record = manifest(key);
            if (record != null && putBack(key, record)) {
                restored++;
            }
        }
        return restored;
    }

    /** The keys of every version's manifest in the store. */
    List<String> manifestKeys() throws IOException {
        return store.list(MODELS_PREFIX).stream().filter(key -> key.endsWith("/manifest.json")).toList();
    }

    /** The record a manifest holds, or null when it vanished or cannot be read (logged). */
    ModelRecord manifest(String key) throws IOException {
        try (InputStream in = store.get(key)) {
            return ModelRecordJson.fromJson(Buffer.buffer(in.readAllBytes()).toJsonObject());
        } catch (NoSuchFileException e) {
            LOG.debug("manifest {} vanished while being read", key);
        } catch (RuntimeException e) {
            LOG.warn("manifest {} is unreadable, not restored: {}", key, e.getMessage());
        }
        return null;
    }

    /**
     * Publishes a manifest's record unless its version was deleted or its file is gone; true when it did. A delete
     * that wrote its tombstone meanwhile takes the record out again.
     */
    boolean putBack(String key, ModelRecord record) throws IOException {
        if (deleted(record.id())) {
            LOG.info("manifest {} is of a deleted version; not restored", key);
            return false;
        }
        if (store.size(record.objectKey()).isEmpty()) {
            LOG.warn("manifest {} names {}, which is not in the store; not restored", key, record.objectKey());
            return false;
        }
        directory.putModel(record);
        if (deleted(record.id())) {
            directory.removeModel(record.id());
            return false;
        }
        return true;
    }

    /** The versions the directory holds a signed record of now. */
    Set<ModelId> published() {
        return directory.models().stream().map(ModelRecord::id).collect(Collectors.toSet());
    }

    private static V2Exception notFound(ModelId id) {
        return V2Exception.notFound("no model '" + id.name() + "' version '" + id.version() + "'");
    }
}
