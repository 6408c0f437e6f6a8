package io.trims.agent.gpu.exec;

import io.trims.agent.gpu.plan.Plan;
import io.trims.agent.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs a {@link Plan} through a {@link Kernels}: weights up once on load, activations in one reusable arena. */
public final class PlanExecutor<B> implements AutoCloseable {

    private final Plan plan;
    private final Kernels<B> kernels;

    public PlanExecutor(Plan plan, Kernels<B> kernels) {
        this.plan = plan;
        this.kernels = kernels;
    }

    /** Uploads the weights (once). */
    public void load() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Runs the model; returns the requested outputs (all graph outputs when {@code outputs} is empty) in graph order. */
    public List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Bytes of weights on the device (exact). */
    public long weightBytes() {
        return plan.weightBytes();
    }

    /** Bytes of the arena currently allocated on the device (0 before the first run). */
    public long arenaBytes() {
        return 0;
    }

    /** Everything this executor holds on the device: weights plus arena. */
    public long deviceBytes() {
        return weightBytes() + arenaBytes();
    }

    /** Frees the weights and the arena (not the kernels). */
    @Override
    public void close() {
    }
}
