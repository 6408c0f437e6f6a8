package io.trims.agent.tier;

import io.trims.policy.clock.Ticker;
import io.trims.policy.eviction.EvictionPolicy;
import io.trims.policy.eviction.LoadCost;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.RuntimeLoadException;
import io.trims.directory.ModelId;
import io.trims.directory.TierLevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GPU-memory tier: models loaded onto the device by the GPU executor. A resident's cost is exact: the device
 * bytes its load allocated (weights and activation arena), as the executor counts them, not the file size. The
 * reservation made before a load is an estimate (the file size: the weights dominate); once loaded, the tier
 * holds the exact figure and, if that pushed it over budget, demotes idle residents; it re-reads the figure after
 * each run ({@link #recount}), since the arena grows with the largest batch run. Demotion closes the model on
 * the device, which frees its memory; the model's CPU copy, if any, is not touched.
 */
public final class GpuTier extends BudgetedTier<LoadedModel> {

    private final GpuBackend backend;

    public GpuTier(long capacity, EvictionPolicy policy, GpuBackend backend, Ticker ticker) {
        super(TierLevel.GPU, capacity, policy, ticker);
        this.backend = backend;
    }

    public GpuBackend backend() {
        return backend;
    }

    /** What to reserve before {@link #load}: the file size, a floor of the weights' device bytes. */
    public static long estimateOf(Path file) throws IOException {
        return Files.size(file);
    }

    /**
     * Loads a model onto the device into its reservation (see {@link #reserve}); the caller holds one use of it.
     * On failure the reservation is given back.
     *
     * @return the device bytes the model holds
     * @throws TierException not loadable when the executor refuses the model (an operator it lacks, no device
     *                       memory); too big when its exact device bytes exceed the whole tier, busy when they do
     *                       not fit beside the models in use (the copy is closed again in both cases)
     */
    public long load(ModelId id, Path file) {
        LoadedModel model;
        long start = ticker().read();
        try {
            model = backend.runtime().load(file);
        } catch (RuntimeLoadException e) {
            cancel(id);
            throw TierException.notLoadable(id, " onto the GPU", e);
        } catch (RuntimeException e) {
            cancel(id);
            throw e;
        }
        long bytes;
        try {
            bytes = backend.deviceBytes(model);
            put(id, model, bytes, new LoadCost(LoadCost.Source.DISK, ticker().read() - start));
        } catch (RuntimeException e) {
            model.close();
            cancel(id);
            throw e;
        }
        if (!fitBudget()) {
            // The estimate fitted, the exact figure does not: the copy goes again rather than overrun the device.
            evict(id);
            release(id);
            throw bytes > capacityBytes() ? TierException.tooBig(id, bytes, level(), capacityBytes())
                    : TierException.busy(id, bytes, level(), capacityBytes(), usedBytes());
        }
        return bytes;
    }

    /**
     * Brings a resident's cost up to date after it ran (its activation arena may have grown for a larger batch),
     * demoting idle residents if that pushed the tier over budget. Returns the new device bytes, or -1 if unchanged.
     */
    public long recount(ModelId id) {
        long bytes = recost(id, backend::deviceBytes);
        if (bytes >= 0) {
            fitBudget();
        }
        return bytes;
    }

    /**
     * Releases one use and, if a recount left the tier over budget while every candidate was in use, demotes
     * the residents that have become idle (this one included).
     */
    @Override
    public void release(ModelId id) {
        super.release(id);
        if (usedBytes() > capacityBytes()) {
            fitBudget();
        }
    }

    @Override
    protected void dispose(ModelId id, LoadedModel model) {
        model.close();
    }

    /** Frees every model on the device, then the device context. */
    @Override
    public void close() {
        disposeAll();
        backend.close();
    }
}
