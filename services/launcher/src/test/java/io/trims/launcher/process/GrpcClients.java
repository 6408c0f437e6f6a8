package io.trims.launcher.process;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.trims.protocol.grpc.GRPCInferenceServiceGrpc;
import io.trims.protocol.grpc.ModelInferRequest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gRPC client calling ModelInfer on the front door without pause, each call with a deadline, counting the calls by
 * status code until stopped: what a Triton client sees while the front door stops and starts.
 */
final class GrpcClients implements AutoCloseable {

    private final Map<Status.Code, LongAdder> byCode = new ConcurrentHashMap<>();
    private final Map<Status.Code, String> lastDescription = new ConcurrentHashMap<>();
    private final ManagedChannel channel;
    private final Thread thread;
    private volatile boolean running = true;

    GrpcClients(int port, String model) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        ByteBuffer x = ByteBuffer.allocate(4 * ProcessCluster.IN).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ProcessCluster.IN; i++) {
            x.putFloat(i * 0.25f);
        }
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("X").setDatatype("FP32")
                        .addShape(1).addShape(ProcessCluster.IN))
                .addRawInputContents(ByteString.copyFrom(x.array())).build();
        thread = new Thread(() -> {
            while (running) {
                Status status;
                try {
                    GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .modelInfer(request);
                    status = Status.OK;
                } catch (RuntimeException e) {
                    status = Status.fromThrowable(e);
                }
                byCode.computeIfAbsent(status.getCode(), c -> new LongAdder()).increment();
                lastDescription.put(status.getCode(), status.getDescription()
                        + (status.getCause() == null ? "" : " (" + status.getCause() + ")"));
                if (!status.isOk()) {
                    // A refused channel fails at once: do not spin on the cores the stopping process needs.
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "grpc-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether a call was answered OK within {@code patience}: the channel is up and the model served. */
    boolean answered(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (counts().getOrDefault(Status.Code.OK, 0L) == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Calls so far by status code. */
    Map<Status.Code, Long> counts() {
        Map<Status.Code, Long> counts = new TreeMap<>();
        byCode.forEach((code, n) -> counts.put(code, n.sum()));
        return counts;
    }

    String lastDescription(Status.Code code) {
        return lastDescription.getOrDefault(code, "");
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(20_000);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
