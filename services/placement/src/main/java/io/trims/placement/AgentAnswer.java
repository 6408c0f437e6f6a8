package io.trims.placement;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** An agent's answer to a forwarded infer request, read whole: its status, its headers and its body. */
record AgentAnswer(int statusCode, MultiMap headers, Buffer body) {

    String header(String name) {
        return headers.get(name);
    }
}
