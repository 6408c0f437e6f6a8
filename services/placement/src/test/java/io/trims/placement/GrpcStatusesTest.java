package io.trims.placement;

import io.grpc.Status;
import io.trims.protocol.V2Exception;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GrpcStatusesTest {

    @Test
    void everyStatusTrimsAnswersHasItsCode() {
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcStatuses.codeOf(400));
        assertEquals(Status.Code.NOT_FOUND, GrpcStatuses.codeOf(404));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatuses.codeOf(413));
        assertEquals(Status.Code.FAILED_PRECONDITION, GrpcStatuses.codeOf(422));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatuses.codeOf(429));
        assertEquals(Status.Code.UNAVAILABLE, GrpcStatuses.codeOf(502));
        assertEquals(Status.Code.UNAVAILABLE, GrpcStatuses.codeOf(503));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, GrpcStatuses.codeOf(504));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatuses.codeOf(507));
        assertEquals(Status.Code.INTERNAL, GrpcStatuses.codeOf(500));
    }

    @Test
    void trimsMessagesTravelButARuntimesTextDoesNot() {
        Status full = GrpcStatuses.of(new V2Exception(507, "no tier of host 'a' has room for model 'm'"), "ModelInfer");
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getCode());
        assertEquals("no tier of host 'a' has room for model 'm'", full.getDescription());

        Status crashed = GrpcStatuses.withMessage(500, "internal error: java.lang.NullPointerException", "ModelInfer");
        assertEquals(Status.Code.INTERNAL, crashed.getCode());
        assertFalse(crashed.getDescription().contains("NullPointerException"), crashed.getDescription());

        Status unknown = GrpcStatuses.of(new IllegalStateException("hazelcast instance is not active"), "ModelReady");
        assertEquals(Status.Code.INTERNAL, unknown.getCode());
        assertFalse(unknown.getDescription().contains("hazelcast"), unknown.getDescription());
    }
}
