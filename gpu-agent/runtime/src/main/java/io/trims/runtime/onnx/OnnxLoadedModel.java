package io.trims.runtime.onnx;

import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.trims.protocol.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One ONNX Runtime session. Sessions are thread-safe for concurrent runs. */
final class OnnxLoadedModel implements LoadedModel {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Set<String> inputs;
    private final Set<String> outputs;
    private final IndexBounds bounds;

    OnnxLoadedModel(OrtEnvironment env, OrtSession session, IndexBounds bounds) {
        this.env = env;
        this.session = session;
        this.bounds = bounds;
        this.inputs = Set.copyOf(session.getInputNames());
        this.outputs = new LinkedHashSet<>(session.getOutputNames());
    }

    @Override
    public Set<String> inputNames() {
        return inputs;
    }

    @Override
    public Set<String> outputNames() {
        return Set.copyOf(outputs);
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> given, Set<String> wanted) throws InferenceException {
        for (String name : given.keySet()) {
            if (!inputs.contains(name)) {
                throw new InferenceException("unknown input '" + name + "'; the model takes " + inputs, true, null);
            }
        }
        for (String name : inputs) {
            if (!given.containsKey(name)) {
                throw new InferenceException("missing input '" + name + "'", true, null);
            }
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String name : outputs) {
            if (wanted.isEmpty() || wanted.contains(name)) {
                requested.add(name);
            }
        }
        for (String name : wanted) {
            if (!outputs.contains(name)) {
                throw new InferenceException("unknown output '" + name + "'; the model gives " + outputs, true, null);
            }
        }
        bounds.check(given);
        Map<String, OnnxTensor> onnxInputs = new HashMap<>();
        try {
            for (Tensor t : given.values()) {
                onnxInputs.put(t.name(), OnnxTensors.toOnnx(env, t));
            }
            try (OrtSession.Result result = session.run(onnxInputs, requested)) {
                List<Tensor> out = new ArrayList<>(requested.size());
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (!(e.getValue() instanceof OnnxTensor t)) {
                        throw new InferenceException("output '" + e.getKey() + "' is not a tensor", false, null);
                    }
                    out.add(OnnxTensors.fromOnnx(e.getKey(), t));
                }
                return out;
            }
        } catch (OrtException e) {
            // Its raw text names ONNX Runtime's source files; the client gets words about its inputs.
            throw OrtErrors.translate(e, given);
        } finally {
            onnxInputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing an ONNX Runtime session failed", e);
        }
    }
}
