package io.trims.registry;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.plan.GpuSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** The GPU executor's own operator support check: the model is read and planned as the agent would for the GPU. */
final class ExecutorGpuCheck implements GpuCheck {

    static final ExecutorGpuCheck INSTANCE = new ExecutorGpuCheck();
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorGpuCheck.class);

    private ExecutorGpuCheck() {
    }

    @Override
    public Optional<String> unsupportedReason(ModelProto model) {
        try {
            return GpuSupport.check(OnnxGraphReader.read(model));
        } catch (GraphException e) {
            return Optional.of("the GPU executor cannot read the model: " + e.getMessage());
        } catch (RuntimeException e) {
            // Uploads are untrusted: a file the reader trips over stays on the CPU rather than failing the upload.
            LOG.warn("the GPU executor's reader failed on an upload; it is registered CPU-only", e);
            return Optional.of("the GPU executor cannot read the model (" + e.getClass().getSimpleName() + ")");
        }
    }
}
