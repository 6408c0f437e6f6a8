package io.trims.protocol.http;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NotAFormTest {

    private static String refusal(String type, boolean binary) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (type != null) {
            headers.set("Content-Type", type);
        }
        if (binary) {
            headers.set("Inference-Header-Content-Length", "12");
        }
        return NotAForm.refusal(headers);
    }

    @Test
    void jsonFormsAndBinaryBodiesAreRead() {
        assertNull(refusal(null, false));
        assertNull(refusal("application/json; charset=utf-8", false));
        assertNull(refusal("application/vnd.trims+json", false));
        assertNull(refusal("application/x-www-form-urlencoded", false));
        assertNull(refusal("application/octet-stream", false));
        assertNull(refusal("image/png", true));
    }

    @Test
    void multipartAndOtherTypesAreRefused() {
        assertEquals("multipart/form-data", refusal("multipart/form-data; boundary=x", false));
        assertEquals("multipart/mixed", refusal("Multipart/Mixed", true));
        assertEquals("text/plain", refusal("text/plain", false));
    }
}
