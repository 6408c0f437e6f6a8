package io.trims.placement;

import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.protocol.V2Codec;
import io.trims.protocol.V2Exception;
import io.trims.protocol.auth.Caller;
import io.trims.protocol.grpc.DataType;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.ModelConfig;
import io.trims.protocol.grpc.ModelConfigRequest;
import io.trims.protocol.grpc.ModelConfigResponse;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelInferResponse;
import io.trims.protocol.grpc.ModelInput;
import io.trims.protocol.grpc.ModelMetadataRequest;
import io.trims.protocol.grpc.ModelMetadataResponse;
import io.trims.protocol.grpc.ModelOutput;
import io.trims.protocol.grpc.ModelReadyRequest;
import io.trims.protocol.grpc.ModelReadyResponse;
import io.trims.protocol.grpc.ModelRepositoryParameter;
import io.trims.protocol.grpc.InferStatistics;
import io.trims.protocol.grpc.ModelStatistics;
import io.trims.protocol.grpc.ModelStatisticsRequest;
import io.trims.protocol.grpc.StatisticDuration;
import io.trims.protocol.grpc.ModelStatisticsResponse;
import io.trims.protocol.grpc.RepositoryIndexRequest;
import io.trims.protocol.grpc.RepositoryIndexResponse;
import io.trims.protocol.grpc.RepositoryModelLoadRequest;
import io.trims.protocol.grpc.RepositoryModelLoadResponse;
import io.trims.protocol.grpc.RepositoryModelUnloadRequest;
import io.trims.protocol.grpc.RepositoryModelUnloadResponse;
import io.trims.protocol.grpc.ServerLiveRequest;
import io.trims.protocol.grpc.ServerLiveResponse;
import io.trims.protocol.grpc.ServerMetadataRequest;
import io.trims.protocol.grpc.ServerMetadataResponse;
import io.trims.protocol.grpc.ServerReadyRequest;
import io.trims.protocol.grpc.ServerReadyResponse;
import io.trims.protocol.http.StatusError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The KServe v2 gRPC service of the front door, on the same sources as its REST routes: health and metadata from
 * the directory copy and {@link io.trims.protocol.ModelLookup}, inference through {@link PlacementRouter}.
 *
 * <p>grpc-java calls arrive on its executor. Whatever touches the directory copies or the router runs on the one
 * Vert.x context that owns the router; its future completes the call back on the gRPC executor, where the answer
 * is converted, so the event loop never does more than it does for REST. Every call is bounded by the forward
 * timeout (plus a little, so the router's own 504 naming the host normally comes first).
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    static final String SERVER_NAME = "trims";
    private static final long GRACE_MS = 1_000;

    private final FrontDoor frontDoor;
    private final PlacementRouter router;
    private final AgentCalls agents;
    private final Context context;
    private final Executor executor;
    private final long boundMs;

    /**
     * @param context the Vert.x context {@code router} and {@code agents} are used on; @param executor the gRPC
     * server's executor
     */
    GrpcInferenceService(FrontDoor frontDoor, PlacementRouter router, AgentCalls agents, Context context,
                         Executor executor) {
        this.frontDoor = frontDoor;
        this.router = router;
        this.agents = agents;
        this.context = context;
        this.executor = executor;
        this.boundMs = frontDoor.config().forwardTimeoutMs() + GRACE_MS;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        respond("ServerLive", observer, ServerLiveResponse.newBuilder().setLive(true).build(), null);
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        boolean ready = !frontDoor.live().hosts().isEmpty();
        respond("ServerReady", observer, ServerReadyResponse.newBuilder().setReady(ready).build(), null);
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        String version = GrpcInferenceService.class.getPackage().getImplementationVersion();
        respond("ServerMetadata", observer, ServerMetadataResponse.newBuilder()
                .setName(SERVER_NAME)
                .setVersion(version != null ? version : "dev")
                .addExtensions("model_repository")
                .addExtensions("model_configuration")
                .addExtensions("statistics")
                .build(), null);
    }

    /** As REST's model ready: a copy is READY in a tier it runs from on a live host; an unknown model is NOT_FOUND. */
    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("ModelReady", observer,
                () -> frontDoor.lookup().resolve(name(request.getName()), version(request.getVersion()), caller),
                model -> ModelReadyResponse.newBuilder()
                        .setReady(ModelState.of(model.id(), frontDoor.live().snapshotFor(model.id())).ready())
                        .build());
    }

    /** The REST metadata body, field for field. */
    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("ModelMetadata", observer,
                () -> frontDoor.lookup().metadata(name(request.getName()), version(request.getVersion()), caller),
                GrpcInferenceService::metadata);
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        long started = System.nanoTime();
        Caller caller = GrpcAuth.caller();
        AtomicReference<String> label = new AtomicReference<>(PlacementMetrics.UNRESOLVED);
        ForwardedBody forward;
        try {
            forward = GrpcInferBodies.forward(request);
        } catch (V2Exception e) {
            frontDoor.metrics().answered(label.get(), e.status(), started);
            respond("ModelInfer", observer, null, e);
            return;
        }
        long deadline = deadline(io.grpc.Context.current().getDeadline(), started);
        call("ModelInfer", observer,
                gone -> frontDoor.lookup().resolve(name(request.getModelName()), version(request.getModelVersion()),
                                caller)
                        .compose(model -> {
                            label.set(model.name());
                            return router.route(model, forward, deadline, gone);
                        }),
                routed -> {
                    ModelInferResponse answer = GrpcInferBodies.answer(request, routed);
                    frontDoor.metrics().answered(label.get(), routed.status(), started);
                    return answer;
                },
                failure -> frontDoor.metrics().answered(label.get(),
                        failure instanceof StatusError e ? e.status() : 500, started));
    }

    /** The call's gRPC deadline on {@link System#nanoTime}'s scale; {@link Long#MAX_VALUE} when it has none. */
    private static long deadline(Deadline deadline, long now) {
        return deadline == null ? Long.MAX_VALUE : now + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    }

    /** The part of Triton's model configuration a registered ONNX model has: its signature, no server batching. */
    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("ModelConfig", observer,
                () -> frontDoor.lookup().resolve(name(request.getName()), version(request.getVersion()), caller),
                model -> ModelConfigResponse.newBuilder().setConfig(config(model)).build());
    }

    /** Triton's statistics, as REST's {@code /v2/models[/{m}[/versions/{v}]]/stats} counts them at this front door. */
    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
        String model = request.getName().isEmpty() ? null : request.getName();
        Caller caller = GrpcAuth.caller();
        call("ModelStatistics", observer,
                () -> frontDoor.models().statistics(model, model == null ? null : version(request.getVersion()), caller),
                GrpcInferenceService::statistics);
    }

    /** REST's repository index: every version the caller sees, with its state. */
    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("RepositoryIndex", observer, () -> frontDoor.repository().index(request.getReady(), caller), entries -> {
            RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
            entries.forEach(entry -> index.addModels(RepositoryIndexResponse.ModelIndex.newBuilder()
                    .setName(entry.model().name()).setVersion(entry.model().version())
                    .setState(entry.state().state()).setReason(entry.state().reason())));
            return index.build();
        });
    }

    /** REST's load: into the CPU tier of the host placement picks; the {@code version} parameter picks a version. */
    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request,
                                    StreamObserver<RepositoryModelLoadResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("RepositoryModelLoad", observer, () -> frontDoor.repository()
                        .load(agents, name(request.getModelName()), parameters(request.getParametersMap()), caller),
                done -> RepositoryModelLoadResponse.getDefaultInstance());
    }

    /** REST's unload: out of every tier of every live host, the registration kept. */
    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request,
                                      StreamObserver<RepositoryModelUnloadResponse> observer) {
        Caller caller = GrpcAuth.caller();
        call("RepositoryModelUnload", observer, () -> frontDoor.repository()
                        .unload(agents, name(request.getModelName()), parameters(request.getParametersMap()), caller),
                done -> RepositoryModelUnloadResponse.getDefaultInstance());
    }

    /** Repository parameters as REST's JSON {@code parameters} object, so both edges check them alike. */
    private static JsonObject parameters(Map<String, ModelRepositoryParameter> parameters) {
        JsonObject json = new JsonObject();
        parameters.forEach((key, value) -> json.put(key, switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> value.getBoolParam();
            case INT64_PARAM -> value.getInt64Param();
            case STRING_PARAM -> value.getStringParam();
            case BYTES_PARAM -> value.getBytesParam().toByteArray();
            case PARAMETERCHOICE_NOT_SET -> null;
        }));
        return json;
    }

    private <R, T> void call(String rpc, StreamObserver<T> observer, Supplier<Future<R>> onContext,
                             Function<R, T> answer) {
        call(rpc, observer, gone -> onContext.get(), answer, failure -> { });
    }

    /**
     * Runs {@code onContext} on the router's Vert.x context, then {@code answer} on the gRPC executor, and answers
     * the call; {@code onFailure} sees any failure first (to count it). {@code onContext} is given a future that
     * completes, on that context, when the client cancels the call or its deadline passes.
     */
    private <R, T> void call(String rpc, StreamObserver<T> observer, Function<Future<Void>, Future<R>> onContext,
                             Function<R, T> answer, Consumer<Throwable> onFailure) {
        Promise<Void> gone = Promise.promise();
        answerLater(observer, () -> context.runOnContext(v -> gone.tryComplete()));
        CompletableFuture<R> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            Future<R> future;
            try {
                future = onContext.apply(gone.future());
            } catch (RuntimeException e) {
                future = Future.failedFuture(e);
            }
            future.onComplete(done -> {
                if (done.succeeded()) {
                    result.complete(done.result());
                } else {
                    result.completeExceptionally(done.cause());
                }
            });
        });
        result.orTimeout(boundMs, TimeUnit.MILLISECONDS).thenApplyAsync(answer, executor)
                .whenCompleteAsync((value, failure) -> {
                    Throwable cause = unwrap(failure);
                    if (cause instanceof TimeoutException) {
                        cause = new V2Exception(504, rpc + " was not answered within " + boundMs + " ms");
                    }
                    if (cause != null) {
                        onFailure.accept(cause);
                    }
                    respond(rpc, observer, value, cause);
                }, executor);
    }

    /**
     * Lets the call be answered after the service method returns even if the client goes first: with a cancel
     * handler set, grpc-java drops a late answer instead of throwing. Only allowed while the method runs.
     */
    private static void answerLater(StreamObserver<?> observer, Runnable onCancel) {
        if (observer instanceof ServerCallStreamObserver<?> call) {
            call.setOnCancelHandler(onCancel);
        }
    }

    /** Answers the call unless the client has gone (cancelled, or past its deadline). */
    private static <T> void respond(String rpc, StreamObserver<T> observer, T value, Throwable failure) {
        if (observer instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
            return;
        }
        if (failure != null) {
            observer.onError(GrpcStatuses.of(failure, rpc).asRuntimeException());
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String name(String name) {
        if (name.isEmpty()) {
            throw V2Exception.badRequest("the model name is missing");
        }
        return name;
    }

    /** An empty version is the newest, as a REST path without /versions/{v}. */
    private static String version(String version) {
        return version.isEmpty() ? null : version;
    }

    private static ModelStatisticsResponse statistics(JsonObject rest) {
        ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
        for (Object entry : rest.getJsonArray("model_stats")) {
            JsonObject model = (JsonObject) entry;
            JsonObject stats = model.getJsonObject("inference_stats");
            response.addModelStats(ModelStatistics.newBuilder()
                    .setName(model.getString("name")).setVersion(model.getString("version"))
                    .setLastInference(model.getLong("last_inference"))
                    .setInferenceCount(model.getLong("inference_count"))
                    .setExecutionCount(model.getLong("execution_count"))
                    .setInferenceStats(InferStatistics.newBuilder()
                            .setSuccess(duration(stats, "success")).setFail(duration(stats, "fail"))
                            .setQueue(duration(stats, "queue")).setComputeInput(duration(stats, "compute_input"))
                            .setComputeInfer(duration(stats, "compute_infer"))
                            .setComputeOutput(duration(stats, "compute_output"))));
        }
        return response.build();
    }

    private static StatisticDuration duration(JsonObject stats, String name) {
        JsonObject duration = stats.getJsonObject(name);
        return StatisticDuration.newBuilder().setCount(duration.getLong("count")).setNs(duration.getLong("ns")).build();
    }

    private static ModelMetadataResponse metadata(JsonObject rest) {
        ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder()
                .setName(rest.getString("name"))
                .setPlatform(rest.getString("platform"));
        rest.getJsonArray("versions").forEach(v -> metadata.addVersions((String) v));
        tensors(rest.getJsonArray("inputs")).forEach(metadata::addInputs);
        tensors(rest.getJsonArray("outputs")).forEach(metadata::addOutputs);
        return metadata.build();
    }

    private static List<ModelMetadataResponse.TensorMetadata> tensors(JsonArray specs) {
        return specs.stream().map(JsonObject.class::cast).map(spec -> {
            ModelMetadataResponse.TensorMetadata.Builder tensor = ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(spec.getString("name")).setDatatype(spec.getString("datatype"));
            spec.getJsonArray("shape").forEach(d -> tensor.addShape(((Number) d).longValue()));
            return tensor.build();
        }).toList();
    }

    private static ModelConfig config(ModelRecord model) {
        ModelConfig.Builder config = ModelConfig.newBuilder()
                .setName(model.name())
                .setPlatform(V2Codec.PLATFORM)
                .setBackend("onnxruntime")
                .setMaxBatchSize(0);
        for (TensorSpec spec : model.inputs()) {
            ModelInput.Builder input = ModelInput.newBuilder().setName(spec.name()).setDataType(dataType(spec));
            for (long d : spec.shape()) {
                input.addDims(d);
            }
            config.addInput(input);
        }
        for (TensorSpec spec : model.outputs()) {
            ModelOutput.Builder output = ModelOutput.newBuilder().setName(spec.name()).setDataType(dataType(spec));
            for (long d : spec.shape()) {
                output.addDims(d);
            }
            config.addOutput(output);
        }
        return config.build();
    }

    /** Triton names a v2 datatype TYPE_ + its name, except BYTES, which is TYPE_STRING. */
    private static DataType dataType(TensorSpec spec) {
        String v2 = spec.datatype().toUpperCase(Locale.ROOT);
        try {
            return DataType.valueOf("BYTES".equals(v2) ? "TYPE_STRING" : "TYPE_" + v2);
        } catch (IllegalArgumentException e) {
            return DataType.TYPE_INVALID;
        }
    }
}
