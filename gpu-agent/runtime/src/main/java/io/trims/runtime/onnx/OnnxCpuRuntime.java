package io.trims.runtime.onnx;

import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;

/**
 * ONNX Runtime on the CPU: one shared environment, one session per loaded model. Each session gets its own
 * intra-op thread pool of {@code intraThreads}; one thread per session keeps many resident models from
 * oversubscribing the cores (requests run in parallel across worker threads instead).
 */
public final class OnnxCpuRuntime implements ModelRuntime {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final int intraThreads;

    public OnnxCpuRuntime(int intraThreads) {
        if (intraThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be at least 1, not " + intraThreads);
        }
        this.intraThreads = intraThreads;
    }

    @Override
    public LoadedModel load(Path file) throws RuntimeLoadException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new OnnxLoadedModel(env, env.createSession(file.toString(), options), IndexBounds.scan(file));
        } catch (OrtException e) {
            throw new RuntimeLoadException("ONNX Runtime cannot load " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** The environment is process-wide and shared with other runtimes; it is not closed here. */
    @Override
    public void close() {
    }
}
