package io.trims.agent.api;

import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.Served;
import io.trims.protocol.tensor.Tensor;
import io.trims.protocol.InferRequest;
import io.trims.protocol.V2Codec;
import io.trims.directory.ModelRecord;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/models/{m}[/versions/{v}]/infer}: resolve the version, parse and check the body, acquire the
 * model (loading it if needed), run it, answer. Parsing, running and formatting happen on the inference workers.
 * The response names the host ({@code trims-host}) and the tier the model was in when the request arrived
 * ({@code trims-tier}: gpu, cpu, disk or remote).
 */
final class InferHandler {

    static final String HOST_HEADER = "trims-host";
    static final String TIER_HEADER = "trims-tier";

    private final ModelRoutes models;
    private final ModelResidency residency;
    private final WorkerExecutor inference;

    InferHandler(ModelRoutes models, ModelResidency residency, WorkerExecutor inference) {
        this.models = models;
        this.residency = residency;
        this.inference = inference;
    }

    void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        models.resolve(ctx)
                .compose(record -> inference.executeBlocking(() -> parse(body, record), false)
                        .compose(request -> residency.acquire(record)
                                .compose(served -> inference.executeBlocking(() -> run(served, request), false))))
                .onSuccess(answer -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .putHeader(HOST_HEADER, residency.host())
                        .putHeader(TIER_HEADER, answer.tier())
                        .end(answer.body()))
                .onFailure(ctx::fail);
    }

    private static InferRequest parse(Buffer body, ModelRecord record) {
        InferRequest request = V2Codec.parseRequest(body);
        V2Codec.validateAgainst(request, record);
        return request;
    }

    private static Answer run(Served served, InferRequest request) throws Exception {
        try (served) {
            Map<String, Tensor> inputs = new HashMap<>();
            request.inputs().forEach(t -> inputs.put(t.name(), t));
            List<Tensor> outputs = served.run(inputs, new LinkedHashSet<>(request.requestedOutputs()));
            ModelRecord record = served.record();
            Buffer json = V2Codec.formatResponse(record.name(), record.version(), request.id(), outputs).toBuffer();
            return new Answer(json, served.origin().label());
        }
    }

    private record Answer(Buffer body, String tier) {
    }
}
