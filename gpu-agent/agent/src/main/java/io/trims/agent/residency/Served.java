package io.trims.agent.residency;

import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;
import io.trims.protocol.tensor.Tensor;
import io.trims.directory.ModelRecord;
import io.trims.directory.TierLevel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A model held for one request: it cannot be evicted until {@link #close()}. {@link #run} is blocking: call it
 * on a worker thread, and close from a worker thread too (closing may be what lets a retired model go).
 */
public final class Served implements AutoCloseable {

    private final ModelRecord record;
    private final LoadedModel model;
    private final TierLevel runsIn;
    private final Origin origin;
    private final Runnable release;
    private final AgentMetrics metrics;
    private final AtomicBoolean released = new AtomicBoolean();

    Served(ModelRecord record, LoadedModel model, TierLevel runsIn, Origin origin, Runnable release, AgentMetrics metrics) {
        this.record = record;
        this.model = model;
        this.runsIn = runsIn;
        this.origin = origin;
        this.release = release;
        this.metrics = metrics;
    }

    public ModelRecord record() {
        return record;
    }

    public LoadedModel model() {
        return model;
    }

    /** The tier the model runs in: GPU or CPU. */
    public TierLevel runsIn() {
        return runsIn;
    }

    /** Where the model was when the request arrived. */
    public Origin origin() {
        return origin;
    }

    /** Runs the model and records the time under {@code trims_inference_duration_seconds}. */
    public List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws InferenceException {
        if (released.get()) {
            throw new IllegalStateException(record.id() + " was already released");
        }
        long start = System.nanoTime();
        List<Tensor> out = model.run(inputs, outputs);
        metrics.inference(runsIn.label(), System.nanoTime() - start);
        return out;
    }

    /** Ends the use; later calls do nothing. */
    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}
