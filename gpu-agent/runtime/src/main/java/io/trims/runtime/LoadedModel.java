package io.trims.runtime;

import io.trims.protocol.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A model ready to run. {@link #run} may be called from several threads at once; blocking, never on an event loop. */
public interface LoadedModel extends AutoCloseable {

    Set<String> inputNames();

    Set<String> outputNames();

    /**
     * Runs the model.
     *
     * @param inputs  every input the model needs, by name
     * @param outputs the outputs wanted; empty means all of them
     * @return the outputs, in the order the model declares them
     */
    List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws InferenceException;

    /** Frees the model's memory; using it afterwards is an error. */
    @Override
    void close();
}
