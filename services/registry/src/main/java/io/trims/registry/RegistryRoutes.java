package io.trims.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trims.protocol.http.Drain;
import io.trims.protocol.http.HttpErrors;
import io.trims.protocol.http.StatusError;
import io.trims.objectstore.ObjectStore;
import io.trims.objectstore.StoreUnavailableException;
import io.trims.objectstore.TransferProgress;
import io.trims.protocol.V2Exception;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import io.trims.directory.TaskProfile;
import io.trims.directory.TierDirectory;
import io.trims.directory.Visibility;
import io.trims.protocol.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The model registry's REST API: upload (streamed to disk, read by trims' own ONNX reader, stored with its manifest,
 * published to the directory), list, show and delete model versions. Mounted on a router the caller serves.
 */
public final class RegistryRoutes {

    public static final String BASE = "/v1/models";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    /** Every outcome of an upload, counted from 0 at start. */
    private static final long MAX_PATCH_BYTES = 16 * 1024;
    private static final List<String> UPLOAD_OUTCOMES =
            List.of("created", "invalid", "conflict", "too_large", "not_onnx", "over_quota", "error");

    private final Vertx vertx;
    private final RegistryStore store;
    private final RegistryConfig config;
    private final MeterRegistry meters;
    private final Counter uploadBytes;
    private final Set<String> uploading = ConcurrentHashMap.newKeySet();

    private RegistryRoutes(Vertx vertx, RegistryStore store, RegistryConfig config, MeterRegistry meters) {
        this.vertx = vertx;
        this.store = store;
        this.config = config;
        this.meters = meters;
        this.uploadBytes = Counter.builder("trims.registry.upload.bytes").baseUnit("bytes")
                .description("Bytes of model files stored by the registry").register(meters);
        UPLOAD_OUTCOMES.forEach(this::uploads);
    }

    /** Uploads by outcome; {@code error} is a failure on trims' side (object storage, the directory), answered 500. */
    private Counter uploads(String outcome) {
        return Counter.builder("trims.registry.uploads")
                .description("Model uploads to the registry, by outcome")
                .tag("outcome", outcome).register(meters);
    }

    /**
     * Mounts the registry's routes on {@code router} at once and restores the catalogue from the manifests in
     * {@code objects}; the future completes when the catalogue is restored.
     */
    public static Future<RegistryRoutes> mount(Router router, Vertx vertx, ObjectStore objects, TierDirectory directory,
                                               RegistryConfig config, MeterRegistry meters) {
        return mount(router, vertx, objects, directory, config, meters, GpuCheck.executor());
    }

    /** As {@link #mount(Router, Vertx, ObjectStore, TierDirectory, RegistryConfig, MeterRegistry)}, with the GPU check given. */
    public static Future<RegistryRoutes> mount(Router router, Vertx vertx, ObjectStore objects, TierDirectory directory,
                                               RegistryConfig config, MeterRegistry meters, GpuCheck gpuCheck) {
        RegistryRoutes routes = new RegistryRoutes(vertx, new RegistryStore(objects, directory, gpuCheck), config, meters);
        routes.mount(router);
        return routes.restore();
    }

    /**
     * One registry for a server of several instances: each instance {@link #mount}s it on its own router, all share
     * the store and the uploads under way; {@link #restore} once.
     */
    public static RegistryRoutes create(Vertx vertx, ObjectStore objects, TierDirectory directory, RegistryConfig config,
                                        MeterRegistry meters) {
        return new RegistryRoutes(vertx, new RegistryStore(objects, directory, GpuCheck.executor()), config, meters);
    }

    /** Mounts the registry's routes on {@code router}. */
    public void mount(Router router) {
        route(router.put(BASE + "/:name/versions/:version"), this::upload);
        route(router.get(BASE), this::list);
        route(router.get(BASE + "/:name"), this::versions);
        route(router.get(BASE + "/:name/versions/:version"), this::show);
        route(router.delete(BASE + "/:name/versions/:version"), this::delete);
        route(router.patch(BASE + "/:name/versions/:version").handler(BodyHandler.create(false)
                .setBodyLimit(MAX_PATCH_BYTES)), this::patch);
    }

    /**
     * Every {@code periodMillis}, puts back the catalogue records missing from the directory or forged there, from
     * the manifests ({@link CatalogueRepair}); one round at a time, on a worker. Closing the handle stops it.
     */
    public AutoCloseable repairCatalogue(long periodMillis) {
        CatalogueRepair repair = new CatalogueRepair(store);
        Counter repaired = Counter.builder("trims.registry.catalogue.repaired")
                .description("Catalogue records put back from the manifests after they went missing or failed "
                        + "their signature check").register(meters);
        AtomicBoolean running = new AtomicBoolean();
        long timer = vertx.setPeriodic(periodMillis, id -> {
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(repair::round, false)
                        .onSuccess(n -> {
                            if (n > 0) {
                                repaired.increment(n);
                                LOG.warn("registry: put {} catalogue records back from their manifests (they were "
                                        + "missing from the directory or not signed)", n);
                            }
                        })
                        .onFailure(e -> LOG.warn("registry: catalogue repair failed, next round in {} ms: {}",
                                periodMillis, e.toString()))
                        .onComplete(done -> running.set(false));
            }
        });
        return () -> vertx.cancelTimer(timer);
    }

    /** Restores the catalogue from the manifests in the object store; completes when it is restored. */
    public Future<RegistryRoutes> restore() {
        return vertx.executeBlocking(store::restore, false)
                .onSuccess(n -> LOG.info("registry restored {} model versions from the object store", n))
                .map(n -> this);
    }

    /**
     * A stop's wait for the uploads under way: completes once none is, or after {@code patience}, with how many
     * are left. An upload still streaming when its server closes fails and leaves nothing behind (its spool file
     * goes, nothing was stored); one being stored finishes: the model, then its manifest, then its record.
     */
    public Future<Integer> uploadsFinished(Duration patience) {
        return Drain.until(vertx, uploading::size, patience);
    }

    private void route(Route route, Handler<RoutingContext> handler) {
        route.handler(handler).failureHandler(HttpErrors::handleFailure);
    }

    private void upload(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Pipe<Buffer> pipe = request.pipe(); // holds the body back until the temp file is open
        Caller caller = Caller.of(ctx);
        ModelId id;
        Function<Long, TaskProfile> task;
        Visibility visibility;
        long declaredBytes;
        try {
            id = modelId(ctx);
            visibility = visibility(ctx, caller);
            task = TaskDeclarations.fromQuery(ctx.queryParams());
            String declared = request.getHeader("content-length");
            declaredBytes = declared == null ? 0 : Long.parseLong(declared.trim());
            if (declaredBytes > config.maxModelBytes()) {
                // Refuse before reading; the unread body goes with the connection.
                ctx.response().putHeader("connection", "close");
                throw UploadSink.tooLarge(config.maxModelBytes());
            }
        } catch (V2Exception e) {
            pipe.close();
            uploadFailed(ctx, e);
            return;
        } catch (NumberFormatException e) {
            pipe.close();
            uploadFailed(ctx, V2Exception.badRequest("content-length is not a number"));
            return;
        }
        if (!uploading.add(id.key())) {
            pipe.close();
            uploadFailed(ctx, new V2Exception(409, "model '" + id.name() + "' version '" + id.version()
                    + "' is being uploaded already"));
            return;
        }
        ModelId model = id;
        long started = System.nanoTime();
        vertx.executeBlocking(() -> {
                    store.checkAbsent(model, caller, declaredBytes);
                    Files.createDirectories(config.tempDir());
                    return Files.createTempFile(config.tempDir(), "trims-upload-", ".onnx");
                }, false)
                .compose(file -> spoolAndRegister(ctx, pipe, model, file, caller, visibility, task))
                .onComplete(done -> uploading.remove(model.key()))
                .onSuccess(record -> {
                    LOG.info("registry: uploaded {} v{}, {} bytes in {} ms (sha256 {})", model.name(),
                            model.version(), record.sizeBytes(), (System.nanoTime() - started) / 1_000_000,
                            record.sha256());
                    uploads("created").increment();
                    uploadBytes.increment(record.sizeBytes());
                    ctx.response().setStatusCode(201)
                            .putHeader("content-type", "application/json")
                            .putHeader("location", BASE + "/" + model.name() + "/versions/" + model.version())
                            .end(ModelRecordJson.toJson(record).encode());
                })
                .onFailure(err -> {
                    pipe.close();
                    uploadFailed(ctx, err);
                });
    }

    /** Pipes the body into {@code file}, registers what arrived, and removes the file whatever happened. */
    private Future<ModelRecord> spoolAndRegister(RoutingContext ctx, Pipe<Buffer> pipe, ModelId id, Path file,
                                                 Caller caller, Visibility visibility,
                                                 Function<Long, TaskProfile> task) {
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                .compose(out -> {
                    if ("100-continue".equalsIgnoreCase(ctx.request().getHeader("expect"))) {
                        // Without a BodyHandler nobody else answers it; curl sends large files this way.
                        ctx.response().writeContinue();
                    }
                    String declared = ctx.request().getHeader("content-length");
                    UploadSink sink = new UploadSink(out, config.maxModelBytes(), TransferProgress.start(
                            "upload of " + id.name() + " v" + id.version(),
                            declared == null ? -1 : Long.parseLong(declared.trim())));
                    return pipe.to(sink).map(done -> sink);
                })
                .compose(sink -> vertx.executeBlocking(() -> store.register(id, file, sink.sha256(), sink.bytes(),
                        caller, visibility, task), false))
                .eventually(() -> vertx.executeBlocking(() -> Files.deleteIfExists(file), false)
                        .onFailure(e -> LOG.warn("could not remove upload spool file {}", file, e)));
    }

    private void uploadFailed(RoutingContext ctx, Throwable failure) {
        // The store speaks of files that are not models; to the client that is a 422.
        Throwable err = failure instanceof NotAModelException e ? new V2Exception(422, e.getMessage(), e)
                : storeDown(failure);
        int status = err instanceof StatusError e ? e.status() : 500;
        String outcome = switch (status) {
            case 400 -> "invalid";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 422 -> "not_onnx";
            case 429 -> "over_quota";
            default -> "error";
        };
        uploads(outcome).increment();
        ctx.fail(err);
    }

    private void list(RoutingContext ctx) {
        vertx.executeBlocking(() -> store.all(Caller.of(ctx)), false)
                .onSuccess(all -> json(ctx, 200, new JsonObject().put("models", ModelRecordJson.toJson(all))))
                .onFailure(ctx::fail);
    }

    private void versions(RoutingContext ctx) {
        String name = ModelNames.check("name", ctx.pathParam("name"));
        vertx.executeBlocking(() -> store.versions(name, Caller.of(ctx)), false)
                .onSuccess(all -> json(ctx, 200, new JsonObject().put("name", name)
                        .put("versions", ModelRecordJson.toJson(all))))
                .onFailure(ctx::fail);
    }

    private void show(RoutingContext ctx) {
        ModelId id = modelId(ctx);
        vertx.executeBlocking(() -> store.get(id, Caller.of(ctx)), false)
                .onSuccess(record -> json(ctx, 200, ModelRecordJson.toJson(record)))
                .onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        ModelId id = modelId(ctx);
        vertx.executeBlocking(() -> {
                    store.delete(id, Caller.of(ctx));
                    return null;
                }, false)
                .onSuccess(done -> {
                    LOG.info("registry: deleted {} v{}", id.name(), id.version());
                    ctx.response().setStatusCode(204).end();
                })
                .onFailure(e -> ctx.fail(storeDown(e)));
    }

    /** {@code PATCH} with a JSON task profile: the only thing of a version that may change. */
    private void patch(RoutingContext ctx) {
        ModelId id = modelId(ctx);
        JsonObject patch;
        try {
            patch = ctx.body().buffer() == null ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw V2Exception.badRequest("the body must be a JSON object of task, accuracy, tags and cost");
        }
        if (patch == null || patch.isEmpty()) {
            throw V2Exception.badRequest("the body must be a JSON object of task, accuracy, tags and cost");
        }
        vertx.executeBlocking(() -> store.updateTask(id, patch, Caller.of(ctx)), false)
                .onSuccess(record -> {
                    LOG.info("registry: {} v{} serves task '{}'", id.name(), id.version(), record.task().task());
                    json(ctx, 200, ModelRecordJson.toJson(record));
                })
                .onFailure(e -> ctx.fail(storeDown(e)));
    }

    /** Object storage being away is the client's 503 (retry later), not trims' 500. */
    private static Throwable storeDown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException e) {
                return new V2Exception(503, e.getMessage() + "; retry when object storage is back", e);
            }
        }
        return failure;
    }

    /**
     * {@code ?visibility=public|private}; without it the admin's uploads are public and a tenant's private (as are
     * anonymous ones on a router without a gate: nothing else reaches the registry without a key).
     */
    private static Visibility visibility(RoutingContext ctx, Caller caller) {
        String asked = ctx.queryParams().get("visibility");
        if (asked == null || asked.isBlank()) {
            return caller.admin() || caller.anonymous() ? Visibility.PUBLIC : Visibility.PRIVATE;
        }
        return switch (asked.trim().toLowerCase(Locale.ROOT)) {
            case "public" -> Visibility.PUBLIC;
            case "private" -> Visibility.PRIVATE;
            default -> throw V2Exception.badRequest("visibility must be public or private, got '" + asked + "'");
        };
    }

    private static ModelId modelId(RoutingContext ctx) {
        return new ModelId(ModelNames.check("name", ctx.pathParam("name")),
                ModelNames.check("version", ctx.pathParam("version")));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
