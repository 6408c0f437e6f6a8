package io.trims.agent.api;

import io.trims.agent.residency.HostStatistics;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.Served;
import io.trims.directory.ModelRecord;
import io.trims.protocol.InferBody;
import io.trims.protocol.InferRequest;
import io.trims.protocol.InferRequestBody;
import io.trims.protocol.InferResponseBody;
import io.trims.protocol.V2Codec;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code POST /v2/models/{m}[/versions/{v}]/infer}: resolve the version, parse and check the body (the only
 * parse it gets, also when it came through placement), acquire the model (loading it if needed), run it, answer.
 * The version is looked up on the event loop in the agent's copy of the catalogue; parsing, running and formatting
 * happen on the inference workers, in one task when the model is in memory already. The response names the host
 * ({@code trims-host}) and the tier the model was in when the request arrived ({@code trims-tier}: gpu, cpu, disk
 * or remote). Bodies may use the binary tensor data extension both ways ({@link InferRequestBody},
 * {@link InferResponseBody}): a binary answer carries {@value InferBody#HEADER_LENGTH} and is
 * application/octet-stream, an all-JSON one is application/json.
 */
final class InferHandler {

    static final String HOST_HEADER = "trims-host";
    static final String TIER_HEADER = "trims-tier";
    /** Microseconds from accepting the request to starting its run (a cold start's load included), and of the run. */
    static final String QUEUE_HEADER = "trims-queue-us";
    static final String COMPUTE_HEADER = "trims-compute-us";

    private final ModelRoutes models;
    private final ModelResidency residency;
    private final WorkerExecutor inference;

    InferHandler(ModelRoutes models, ModelResidency residency, WorkerExecutor inference) {
        this.models = models;
        this.residency = residency;
        this.inference = inference;
    }

    void handle(RoutingContext ctx) {
        Body body = new Body(ctx.body().buffer(), ctx.request().getHeader(InferBody.HEADER_LENGTH));
        long accepted = System.nanoTime();
        residency.statistics().accepted();
        models.resolve(ctx)
                .compose(record -> models.heldIn(record.id()).isPresent() ? warm(record, body) : cold(record, body))
                .onSuccess(answer -> {
                    answer.body().putHeaders(ctx.response().headers())
                            .set(HOST_HEADER, residency.host())
                            .set(TIER_HEADER, answer.tier())
                            .set(QUEUE_HEADER, micros(answer.startedNanos() - accepted))
                            .set(COMPUTE_HEADER, micros(answer.ranNanos()));
                    ctx.response().end(answer.body().body());
                })
                .onFailure(ctx::fail)
                .onComplete(done -> residency.statistics().answered());
    }

    /**
     * In memory: held at once here (a tier hit is answered on the calling thread), then parsed, checked and run in
     * one worker task. Should the model be demoted in between, acquire loads it again as on a cold start.
     */
    private Future<Answer> warm(ModelRecord record, Body body) {
        return residency.acquire(record).compose(served -> run(served, () -> parse(body, record)));
    }

    /** Not in memory: parsed and checked first, so that a bad body never starts a load. */
    private Future<Answer> cold(ModelRecord record, Body body) {
        Future<InferRequest> parsed = inference.executeBlocking(() -> parse(body, record), false);
        return parsed.compose(request -> residency.acquire(record))
                .compose(served -> run(served, parsed::result));
    }

    private static InferRequest parse(Body body, ModelRecord record) {
        InferRequest request = InferRequestBody.decode(body.bytes(), body.headerLength());
        V2Codec.validateAgainst(request, record);
        return request;
    }

    /**
     * Runs the held model on a worker and lets it go, whether the request turns out good or not. The worker's time
     * is the run time the host publishes for the model and tier.
     */
    private Future<Answer> run(Served served, Callable<InferRequest> request) {
        HostStatistics statistics = residency.statistics();
        return inference.executeBlocking(() -> {
            statistics.runStarted();
            long start = System.nanoTime();
            try (served) {
                Answer answer = answer(served, request.call());
                long ran = System.nanoTime() - start;
                statistics.ran(served.record().id(), served.runsIn(), ran);
                return answer.timed(start, ran);
            } catch (Exception e) {
                statistics.runFailed();
                throw e;
            }
        }, false);
    }

    private static Answer answer(Served served, InferRequest request) throws Exception {
        Map<String, Tensor> inputs = new HashMap<>();
        request.inputs().forEach(t -> inputs.put(t.name(), t));
        List<Tensor> outputs = served.run(inputs, new LinkedHashSet<>(request.requestedOutputs()));
        ModelRecord record = served.record();
        return new Answer(InferResponseBody.encode(record.name(), record.version(), request.id(), outputs, request),
                served.origin().label());
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, nanos) / 1_000.0);
    }

    /** The request's body and its {@value InferBody#HEADER_LENGTH} header, null when not sent. */
    private record Body(Buffer bytes, String headerLength) {
    }

    /** @param startedNanos when its run started; {@code ranNanos} how long the run took (0 until {@link #timed}) */
    private record Answer(InferBody.Encoded body, String tier, long startedNanos, long ranNanos) {
        Answer(InferBody.Encoded body, String tier) {
            this(body, tier, 0, 0);
        }

        Answer timed(long started, long ran) {
            return new Answer(body, tier, started, ran);
        }
    }
}
