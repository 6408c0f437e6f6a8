package io.trims.gpu.graph;

/** A model graph that cannot be read, shaped or planned; the message says what and where. */
public class GraphException extends RuntimeException {

    public GraphException(String message) {
        super(message);
    }

    public GraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
