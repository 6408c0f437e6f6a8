package io.trims.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The real encoder files on the test classpath (from the langchain4j embedding jars). */
public final class RealModels {

    public static final String MINILM = "all-minilm-l6-v2.onnx";
    public static final String BGE_SMALL = "bge-small-en-v1.5.onnx";

    private RealModels() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = RealModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
