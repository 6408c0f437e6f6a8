package io.trims.registry;

/** An upload that is not an ONNX model the registry can serve; the message says what is wrong with it. */
final class NotAModelException extends RuntimeException {

    NotAModelException(String what) {
        super("not a valid ONNX model: " + what);
    }
}
