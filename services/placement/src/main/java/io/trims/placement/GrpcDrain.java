package io.trims.placement;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC edge's calls in flight, and its stop's first step, as {@code Drain} is REST's: once {@link #begin} is
 * called every new call is refused with UNAVAILABLE (a client's retry goes to a front door still serving) while
 * those under way go on. grpc-java's own {@code Server.shutdown} is not enough: it still takes calls on open
 * connections until the client has seen its GOAWAY.
 */
final class GrpcDrain implements ServerInterceptor {

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    void begin() {
        draining = true;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        // Counted before the check: a drain that begins meanwhile waits for this call too.
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            call.close(Status.UNAVAILABLE.withDescription("placement is stopping"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        ServerCall<Q, A> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                end.run();
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                end.run();
                super.onCancel();
            }
        };
    }
}
