package io.trims.placement;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.ModelInferRequest;
import io.trims.protocol.grpc.ServerReadyRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.trims.placement.FrontDoorFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gRPC edge before a stand-in agent over real HTTP and a real Hazelcast directory: the agent's no-room answer,
 * a runtime's raw 500 and its silence become RESOURCE_EXHAUSTED, INTERNAL without the runtime's text, and
 * DEADLINE_EXCEEDED within the forward timeout.
 */
class GrpcAgentAnswersTest {

    private static final long FORWARD_TIMEOUT_MS = 500;

    private static FrontDoorFixture fixture;
    private static GrpcFrontDoor grpc;
    private static ManagedChannel channel;
    private static HttpServer agent;
    private static volatile String mode = "full";

    @BeforeAll
    static void start() throws Exception {
        fixture = FrontDoorFixture.start(new SimpleMeterRegistry(), new FrontDoorConfig(4096, FORWARD_TIMEOUT_MS));
        agent = await(fixture.vertx().createHttpServer().requestHandler(request -> {
            switch (mode) {
                case "full" -> request.response().setStatusCode(507).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "no tier of host 'alpha' has room for model 'double'").encode());
                case "crash" -> request.response().setStatusCode(500).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "internal error: java.lang.NullPointerException").encode());
                default -> { } // silent: never answers
            }
        }).listen(0));
        grpc = GrpcFrontDoor.start(fixture.vertx(), fixture.frontDoor(), FrontDoorFixture.OPEN, "127.0.0.1", 0);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        fixture.publishHost("alpha", agent.actualPort(), 0);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        grpc.close();
        fixture.close();
    }

    @Test
    void theAgentsAnswersBecomeTheirCodes() {
        mode = "full";
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, GrpcAgentAnswersTest::infer);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertEquals("no tier of host 'alpha' has room for model 'double'", full.getStatus().getDescription());

        mode = "crash";
        StatusRuntimeException crash = assertThrows(StatusRuntimeException.class, GrpcAgentAnswersTest::infer);
        assertEquals(Status.Code.INTERNAL, crash.getStatus().getCode());
        assertFalse(crash.getStatus().getDescription().contains("NullPointerException"),
                crash.getStatus().getDescription());

        mode = "silent";
        long started = System.nanoTime();
        StatusRuntimeException silent = assertThrows(StatusRuntimeException.class, GrpcAgentAnswersTest::infer);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, silent.getStatus().getCode());
        assertTrue(silent.getStatus().getDescription().contains("did not answer within " + FORWARD_TIMEOUT_MS + " ms"),
                silent.getStatus().getDescription());
        assertTrue(tookMs < 10_000, "bounded by the forward timeout, took " + tookMs + " ms");
    }

    private static void infer() {
        ByteString x = ByteString.copyFrom(new byte[8]);
        stub().modelInfer(ModelInferRequest.newBuilder().setModelName("double")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(2))
                .addRawInputContents(x).build());
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
