package io.trims.agent.api;

import io.trims.agent.admission.AdmissionLimits;
import io.trims.agent.admission.RequestSize;
import io.trims.agent.admission.RunQueue;
import io.trims.agent.residency.HostStatistics;
import io.trims.agent.residency.ModelResidency;
import io.trims.agent.residency.Served;
import io.trims.directory.ModelRecord;
import io.trims.protocol.InferBody;
import io.trims.protocol.InferRequest;
import io.trims.protocol.InferRequestBody;
import io.trims.protocol.InferResponseBody;
import io.trims.protocol.RequestDeadline;
import io.trims.protocol.V2Codec;
import io.trims.protocol.V2Exception;
import io.trims.protocol.tensor.Tensor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v2/models/{m}[/versions/{v}]/infer}: take a place in the agent's {@link RunQueue} (or a 429 when it
 * is full), resolve the version, parse and check the body (the only parse it gets, also when it came through
 * placement; a request or answer over the per-request limits is a 413 before anything runs), acquire the model
 * (loading it if needed), run it, answer. Parsing and running are the queue's work, done on the inference workers
 * earliest deadline first; a request whose deadline passes, or whose client goes, before its turn is not run. A
 * deadline is {@value #DEADLINE_HEADER} (milliseconds from arrival) or the body's {@code parameters.timeout}
 * (microseconds, as Triton has it), the earlier of the two; when it passes while the model loads or runs, the
 * client is answered 504 at once and the answer, when it comes, is dropped.
 *
 * <p>The response names the host ({@code trims-host}) and the tier the model was in when the request arrived
 * ({@code trims-tier}: gpu, cpu, disk or remote). Bodies may use the binary tensor data extension both ways
 * ({@link InferRequestBody}, {@link InferResponseBody}): a binary answer carries {@value InferBody#HEADER_LENGTH}
 * and is application/octet-stream, an all-JSON one is application/json.
 */
final class InferHandler {

    static final String HOST_HEADER = "trims-host";
    static final String TIER_HEADER = "trims-tier";
    /** Microseconds from accepting the request to starting its run (a cold start's load included), and of the run. */
    static final String QUEUE_HEADER = "trims-queue-us";
    static final String COMPUTE_HEADER = "trims-compute-us";
    /** Milliseconds from arrival within which the request must have run (placement sends what is left of it). */
    static final String DEADLINE_HEADER = RequestDeadline.HEADER;

    private final ModelRoutes models;
    private final ModelResidency residency;
    private final WorkerExecutor inference;
    private final RunQueue queue;

    InferHandler(ModelRoutes models, ModelResidency residency, WorkerExecutor inference, RunQueue queue) {
        this.models = models;
        this.residency = residency;
        this.inference = inference;
        this.queue = queue;
    }

    /** Before the body is read: a full agent refuses at once, without reading it. */
    void admit(RoutingContext ctx) {
        String length = ctx.request().getHeader("content-length");
        long bytes = 0;
        try {
            bytes = length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            // The body handler judges a malformed length.
        }
        queue.check(ctx.pathParam("model"), bytes);
        ctx.next();
    }

    void handle(RoutingContext ctx) {
        // An empty body has no buffer; it is then refused by the parse, as a bad body.
        Buffer received = ctx.body().buffer();
        Body body = new Body(received == null ? Buffer.buffer() : received,
                ctx.request().getHeader(InferBody.HEADER_LENGTH));
        long accepted = System.nanoTime();
        RunQueue.Ticket ticket = queue.admit(ctx.pathParam("model"), body.bytes().length(),
                deadline(ctx.request().getHeader(DEADLINE_HEADER), accepted));
        residency.statistics().accepted();
        ctx.addEndHandler(done -> {
            if (done.failed()) {
                ticket.abandon();
            }
        });
        Deadline deadline = new Deadline(ctx, ticket);
        deadline.arm();
        models.resolve(ctx)
                .compose(record -> queue.run(ticket, () -> parse(body, record, queue.limits()))
                        .compose(request -> {
                            if (request.timeoutMicros() > 0
                                    && ticket.tighten(accepted + request.timeoutMicros() * 1_000)) {
                                deadline.arm();
                            }
                            return residency.acquire(record).compose(served -> run(ticket, served, request));
                        }))
                .onSuccess(answer -> {
                    if (ctx.response().ended() || ctx.response().closed()) {
                        return;
                    }
                    answer.body().putHeaders(ctx.response().headers())
                            .set(HOST_HEADER, residency.host())
                            .set(TIER_HEADER, answer.tier())
                            .set(QUEUE_HEADER, micros(answer.startedNanos() - accepted))
                            .set(COMPUTE_HEADER, micros(answer.ranNanos()));
                    ctx.response().end(answer.body().body());
                })
                .onFailure(ctx::fail)
                .onComplete(done -> {
                    deadline.cancel();
                    ticket.release();
                    residency.statistics().answered();
                });
    }

    /** The request's deadline from its header, else the default; {@link RequestDeadline#NONE} when it has none. */
    private long deadline(String header, long accepted) {
        if (header == null || header.isBlank()) {
            long ms = queue.limits().defaultDeadlineMs();
            return ms == 0 ? RequestDeadline.NONE : RequestDeadline.after(accepted, ms);
        }
        return RequestDeadline.of(header, accepted);
    }

    private static InferRequest parse(Body body, ModelRecord record, AdmissionLimits limits) {
        InferRequest request = InferRequestBody.decode(body.bytes(), body.headerLength());
        V2Codec.validateAgainst(request, record);
        RequestSize.check(request, record, limits);
        return request;
    }

    /**
     * Runs the held model on a worker when the queue says so and lets it go, whether the request turns out good or
     * not, or is dropped unrun. The worker's time is the run time the host publishes for the model and tier.
     */
    private Future<Answer> run(RunQueue.Ticket ticket, Served served, InferRequest request) {
        HostStatistics statistics = residency.statistics();
        return queue.run(ticket, () -> {
            statistics.runStarted();
            long start = System.nanoTime();
            try (served) {
                Answer answer = answer(served, request);
                long ran = System.nanoTime() - start;
                statistics.ran(served.record().id(), served.runsIn(), ran);
                return answer.timed(start, ran);
            } catch (Exception e) {
                statistics.runFailed();
                throw e;
            }
        }).onFailure(dropped -> inference.executeBlocking(() -> {
            // Closing twice does nothing: this lets go of a model whose run was dropped before it began.
            served.close();
            return null;
        }, false));
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

    /**
     * The timer that answers 504 when the request's deadline passes: its waiting work is dropped (and the failure
     * answers), or, when the model is loading or running, the client is answered now and nobody waits for the rest.
     */
    private static final class Deadline {

        private final RoutingContext ctx;
        private final RunQueue.Ticket ticket;
        private long timer = -1;

        Deadline(RoutingContext ctx, RunQueue.Ticket ticket) {
            this.ctx = ctx;
            this.ticket = ticket;
        }

        /** (Re)sets the timer to the ticket's deadline; on the request's event loop. */
        void arm() {
            cancel();
            long due = ticket.deadlineNanos();
            if (due == Long.MAX_VALUE) {
                return;
            }
            Vertx vertx = ctx.vertx();
            timer = vertx.setTimer(Math.max(1, (due - System.nanoTime()) / 1_000_000), id -> {
                timer = -1;
                if (!ticket.expire() && !ctx.response().ended()) {
                    ctx.fail(ticket.lateAnswer());
                }
            });
        }

        void cancel() {
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
                timer = -1;
            }
        }
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
