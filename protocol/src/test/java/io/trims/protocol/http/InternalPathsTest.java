package io.trims.protocol.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InternalPathsTest {

    @Test
    void serverPathsAreRemoved() {
        assertEquals("cannot read <path>: disk full",
                InternalPaths.scrub("cannot read /var/cache/trims/models/m/1/model.onnx: disk full"));
        assertEquals("failed at <path> in Init",
                InternalPaths.scrub("failed at /onnxruntime_src/onnxruntime/core/providers/cpu/math/element_wise_ops.h:563 in Init"));
        assertEquals("temp <path> gone", InternalPaths.scrub("temp C:\\Users\\x\\AppData\\t.tmp gone"));
        assertEquals("temp <path> gone", InternalPaths.scrub("temp /tmp/trims-123.part gone"));
    }

    @Test
    void apiPathsUrlsAndShapesStay() {
        String[] kept = {"no such resource: /v2/models/x/infer", "see http://host:8080/v1/models",
                "input 'x' has shape [1,3]", "ratio 1/2", "PUT /v1/models/m/versions/1 failed"};
        for (String message : kept) {
            assertEquals(message, InternalPaths.scrub(message));
        }
    }
}
