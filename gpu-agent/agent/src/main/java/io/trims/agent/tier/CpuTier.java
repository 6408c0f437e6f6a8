package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.LoadCost;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU-memory tier: loaded ONNX Runtime sessions. A resident's cost is its ONNX file size: ONNX Runtime allocates
 * natively, outside the Java heap, and the process RSS moves with every concurrent load and run, so a per-model
 * measurement would not be reliable; the file size is a floor of what a session holds (its weights).
 * Demotion closes the session; the file stays on disk.
 */
public final class CpuTier extends BudgetedTier<LoadedModel> {

    private final ModelRuntime runtime;
    private final AtomicLong sessionsCreated = new AtomicLong();

    public CpuTier(long capacity, EvictionPolicy policy, ModelRuntime runtime, Ticker ticker) {
        super(TierLevel.CPU, capacity, policy, ticker);
        this.runtime = runtime;
    }

    /** The cost a model file will have once loaded; reserve this much before {@link #load}. */
    public static long costOf(Path file) throws IOException {
        return Files.size(file);
    }

    /**
     * Loads a model from its file into its reservation (see {@link #reserve}); the caller holds one use of it.
     * On failure the reservation is given back.
     *
     * @throws TierException not loadable when the runtime refuses the file
     */
    public LoadedModel load(ModelId id, Path file) throws IOException {
        try {
            long cost = costOf(file);
            long start = ticker().read();
            LoadedModel model = runtime.load(file);
            LoadCost took = new LoadCost(LoadCost.Source.DISK, ticker().read() - start);
            sessionsCreated.incrementAndGet();
            try {
                put(id, model, cost, took);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        } catch (RuntimeLoadException e) {
            cancel(id);
            throw TierException.notLoadable(id, "", e);
        } catch (IOException | RuntimeException e) {
            cancel(id);
            throw e;
        }
    }

    /** Sessions this tier has created since it started. */
    public long sessionsCreated() {
        return sessionsCreated.get();
    }

    @Override
    protected void dispose(ModelId id, LoadedModel model) {
        model.close();
    }

    @Override
    public void close() {
        disposeAll();
    }
}
