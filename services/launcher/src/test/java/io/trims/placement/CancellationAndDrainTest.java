package io.trims.placement;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ModelInferResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.trims.placement.FrontDoorFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over real HTTP, real gRPC and a real Hazelcast directory, before stand-in agents. A client that leaves takes its
 * request with it: an agent that never answers sees its forwarded request's connection cut once the REST client
 * closes its socket, a gRPC client cancels, or a gRPC deadline passes (which also reaches the agent as what is left
 * of it); the request is not sent to the second host. A gRPC edge that drains refuses new calls with UNAVAILABLE and
 * lets the one under way finish.
 */
class CancellationAndDrainTest {

    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],"
            + "\"data\":[1.0,2.0]}]}";

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static FrontDoorFixture fixture;
    private static Vertx vertx;
    private static FrontDoor frontDoor;
    private static AutoCloseable routes;
    private static HttpServer rest;
    private static GrpcFrontDoor grpc;
    private static ManagedChannel channel;
    private static final SlowAgent holder = new SlowAgent();
    private static final SlowAgent other = new SlowAgent();

    @BeforeAll
    static void start() throws Exception {
        fixture = FrontDoorFixture.start(registry, new FrontDoorConfig(4096, 30_000));
        vertx = fixture.vertx();
        frontDoor = fixture.frontDoor();
        holder.start("holder");
        other.start("other");
        // The holder has the model in memory, so placement sends every request there first.
        fixture.directory().putResidency(new Residency("holder", "double", "1", TierLevel.CPU, ResidencyState.READY,
                10, 0));
        Router router = Router.router(vertx);
        routes = frontDoor.mount(router);
        rest = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        grpc = GrpcFrontDoor.start(vertx, frontDoor, FrontDoorFixture.OPEN, "127.0.0.1", 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fixture.live().hosts().size() < 2
                || fixture.live().snapshotFor(FrontDoorFixture.MODEL.id()).residencies().isEmpty()) {
            assertTrue(System.nanoTime() < until, "the directory copy never saw both hosts");
            Thread.sleep(20);
        }
    }

    @BeforeEach
    void fresh() {
        holder.reset();
        other.reset();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        grpc.close();
        routes.close();
        await(rest.close());
        fixture.close();
    }

    @Test
    void aRestClientThatClosesItsSocketCutsTheForward() throws Exception {
        double cancelledBefore = cancelled();
        try (Socket socket = new Socket("127.0.0.1", rest.actualPort())) {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/double/infer HTTP/1.1\r\nhost: trims\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            holder.received.get(10, TimeUnit.SECONDS);
        }
        long closedAfterMs = holder.cut.get(5, TimeUnit.SECONDS);
        assertTrue(closedAfterMs < 5_000, "the forward was cut " + closedAfterMs + " ms after it arrived");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cancelled() < cancelledBefore + 1) {
            assertTrue(System.nanoTime() < until, "trims_placement_cancelled never counted the withdrawn request");
            Thread.sleep(20);
        }
        assertEquals(0, other.requests.get(), "a withdrawn request must not be retried on another host");
    }

    @Test
    void aCancelledGrpcCallCutsTheForward() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        call.run(() -> GRPCInferenceServiceGrpc.newStub(channel).modelInfer(request(),
                new StreamObserver<ModelInferResponse>() {
                    @Override
                    public void onNext(ModelInferResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                }));
        holder.received.get(10, TimeUnit.SECONDS);
        call.cancel(null);
        assertEquals(Status.Code.CANCELLED, ended.get(5, TimeUnit.SECONDS).getCode());
        holder.cut.get(5, TimeUnit.SECONDS);
        assertEquals(0, other.requests.get(), "a cancelled call must not be retried on another host");
    }

    @Test
    void aGrpcDeadlineIsSentOnAndCutsTheForwardWhenItPasses() throws Exception {
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc
                .newBlockingStub(channel).withDeadlineAfter(1_500, TimeUnit.MILLISECONDS).modelInfer(request()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
        long sentMs = Long.parseLong(holder.deadlineHeader);
        assertTrue(sentMs > 0 && sentMs <= 1_500, "the agent was given " + sentMs + " ms of a 1,500 ms deadline");
        holder.cut.get(5, TimeUnit.SECONDS);
        assertEquals(0, other.requests.get());
    }

    @Test
    void aDrainingGrpcEdgeRefusesNewCallsAndFinishesTheOneUnderWay() throws Exception {
        holder.answerAfterMs = 1_500;
        GrpcFrontDoor draining = GrpcFrontDoor.start(vertx, frontDoor, FrontDoorFixture.OPEN, "127.0.0.1", 0);
        ManagedChannel toDraining = NettyChannelBuilder.forAddress("127.0.0.1", draining.port()).usePlaintext().build();
        try {
            var underWay = GRPCInferenceServiceGrpc.newFutureStub(toDraining).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .modelInfer(request());
            holder.received.get(10, TimeUnit.SECONDS);
            draining.beginDrain();
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> GRPCInferenceServiceGrpc
                    .newBlockingStub(toDraining).withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(request()));
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
            ModelInferResponse answered = underWay.get(10, TimeUnit.SECONDS);
            assertEquals("double", answered.getModelName());
            assertEquals(0, await(draining.awaitDrained(Duration.ofSeconds(5))), "calls left after the last answer");
            assertEquals(1, holder.requests.get(), "the refused call reached an agent");
        } finally {
            toDraining.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            draining.close();
        }
    }

    private static ModelInferRequest request() {
        return ModelInferRequest.newBuilder().setModelName("double")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(2))
                .addRawInputContents(ByteString.copyFrom(new byte[8])).build();
    }

    private static double cancelled() {
        return registry.get("trims_placement_cancelled").counter().count();
    }

    /**
     * An agent that takes every infer request and answers it after {@link #answerAfterMs}, or never (-1); it notes
     * when the front door cuts one.
     */
    private static final class SlowAgent {
        final AtomicInteger requests = new AtomicInteger();
        volatile long answerAfterMs;
        volatile CompletableFuture<Void> received;
        /** Milliseconds from a request's arrival to its connection's close. */
        volatile CompletableFuture<Long> cut;
        volatile String deadlineHeader;

        void reset() {
            requests.set(0);
            answerAfterMs = -1;
            received = new CompletableFuture<>();
            cut = new CompletableFuture<>();
            deadlineHeader = null;
        }

        void start(String name) throws Exception {
            reset();
            HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
                long arrived = System.nanoTime();
                requests.incrementAndGet();
                deadlineHeader = request.getHeader(Forwarder.DEADLINE_HEADER);
                CompletableFuture<Long> thisCut = cut;
                request.connection().closeHandler(closed ->
                        thisCut.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrived)));
                received.complete(null);
                if (answerAfterMs >= 0) {
                    vertx.setTimer(Math.max(1, answerAfterMs), id -> request.response()
                            .putHeader("content-type", "application/json")
                            .end("{\"model_name\":\"double\",\"model_version\":\"1\",\"outputs\":[{\"name\":\"y\","
                                    + "\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[2.0,4.0]}]}"));
                }
            }).listen(0, "127.0.0.1"));
            fixture.publishHost(name, server.actualPort(), 0);
        }
    }
}
