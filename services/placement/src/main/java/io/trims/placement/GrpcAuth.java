package io.trims.placement;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.trims.protocol.auth.Auth;
import io.trims.protocol.auth.AuthException;
import io.trims.protocol.auth.Caller;

/**
 * The gRPC edge of {@link Auth}, as {@code AuthGate} is REST's: reads the {@code authorization} metadata, admits
 * the caller for what the method needs (server live and ready: nothing; repository load and unload: write; the rest:
 * read), and refuses a call with UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED (with a
 * {@code retry-after} trailer) before the service sees it.
 */
final class GrpcAuth implements ServerInterceptor {

    private static final Context.Key<Caller> CALLER = Context.key("trims.caller");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private final Auth auth;

    GrpcAuth(Auth auth) {
        this.auth = auth;
    }

    /** The caller of the call on this thread; read in the service method, before it leaves the gRPC thread. */
    static Caller caller() {
        Caller caller = CALLER.get();
        return caller == null ? Caller.ANONYMOUS : caller;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        Caller caller;
        try {
            caller = auth.admit(headers.get(AUTHORIZATION), need(call.getMethodDescriptor().getBareMethodName()));
        } catch (AuthException e) {
            Metadata trailers = new Metadata();
            if (e.status() == 429) {
                trailers.put(RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            }
            call.close(GrpcStatuses.withMessage(e.status(), e.getMessage(), call.getMethodDescriptor()
                    .getBareMethodName()), trailers);
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    private static Auth.Need need(String method) {
        if (method == null) {
            return Auth.Need.READ;
        }
        return switch (method) {
            case "ServerLive", "ServerReady" -> Auth.Need.NOTHING;
            case "RepositoryModelLoad", "RepositoryModelUnload" -> Auth.Need.WRITE;
            default -> Auth.Need.READ;
        };
    }
}
