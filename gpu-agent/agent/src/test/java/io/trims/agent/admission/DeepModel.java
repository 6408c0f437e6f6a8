package io.trims.agent.admission;

import io.trims.agent.testing.TestCluster;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.RecordSigner;
import io.trims.protocol.InferBody;
import io.trims.protocol.InferRequest;
import io.trims.protocol.InferRequestBody;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxModels;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.List;

/**
 * A model that costs compute and little input: {@code LAYERS} MatMuls of X [N, WIDTH] with one WIDTH x WIDTH weight,
 * so a request's run time grows with its batch N, and its body stays a batch of WIDTH floats per row.
 */
final class DeepModel {

    static final int WIDTH = 256;
    static final int LAYERS = 128;

    private DeepModel() {
    }

    static ModelRecord register(TestCluster cluster, String name) throws Exception {
        byte[] bytes = OnnxModels.deepMatMul(WIDTH, LAYERS);
        return cluster.register(name, "1", bytes, TestCluster.sha256(bytes),
                List.of(new TensorSpec("X", "FP32", new long[]{-1, WIDTH})),
                List.of(new TensorSpec("Y", "FP32", new long[]{-1, WIDTH})));
    }

    /** A request of {@code batch} rows of ones, with the binary tensor data extension. */
    static InferBody.Encoded request(String id, int batch) {
        return request(id, batch, 0);
    }

    /** As {@link #request(String, int)}, with {@code parameters.timeout} (0: none). */
    static InferBody.Encoded request(String id, int batch, long timeoutMicros) {
        float[] x = new float[batch * WIDTH];
        Arrays.fill(x, 1f);
        return InferRequestBody.encode(new InferRequest(id, List.of(new Tensor("X", DataType.FP32,
                new long[]{batch, WIDTH}, x)), List.of(), true, timeoutMicros));
    }

    /** The request as raw HTTP/1.1 bytes, for a client that goes away after sending it. */
    static byte[] raw(String model, InferBody.Encoded body) {
        MultiMap headers = body.putHeaders(MultiMap.caseInsensitiveMultiMap());
        StringBuilder head = new StringBuilder("POST /v2/models/" + model + "/infer HTTP/1.1\r\nhost: agent\r\n"
                + RecordSigner.AGENT_KEY_HEADER + ": " + RecordSigner.thisRun().agentKey() + "\r\n");
        headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        head.append("content-length: ").append(body.body().length()).append("\r\n\r\n");
        return Buffer.buffer(head.toString()).appendBuffer(body.body()).getBytes();
    }
}
