package io.trims.agent.residency;

import io.trims.agent.tier.GpuTier;
import io.trims.policy.promotion.PromotionPolicy;
import io.trims.policy.promotion.PromotionPolicy.Candidate;
import io.trims.policy.promotion.PromotionPolicy.Decision;
import io.trims.agent.tier.TierException;
import io.trims.policy.promotion.UseHistory;
import io.trims.directory.ModelId;
import io.trims.directory.ModelRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves models that are reused from the CPU tier up to the GPU tier. Each use served from the CPU tier is recorded;
 * when the promotion policy says so, the model is loaded onto the device in the background (the request that
 * triggered it runs on the CPU; later ones run on the GPU once its copy is READY). A model registered CPU-only is
 * never promoted, and one the executor refuses to load is not tried again until the registry deletes it.
 */
final class GpuPromoter {

    private static final Logger LOG = LoggerFactory.getLogger(GpuPromoter.class);

    /** Where a promotion takes the model file from; the file is held until released. */
    interface ModelFiles {
        Path hold(ModelRecord record) throws IOException;

        void release(ModelId id);
    }

    private final String host;
    private final GpuTier gpu;
    private final PromotionPolicy policy;
    private final UseHistory history;
    private final TierMove moves;
    private final AgentMetrics metrics;
    private final HostStatistics statistics;
    private final ResidencyWorkers workers;
    private final ModelFiles files;
    private final Set<ModelId> promoting = ConcurrentHashMap.newKeySet();
    private final Map<ModelId, String> refused = new ConcurrentHashMap<>();
    private final Set<ModelId> toldCpuOnly = ConcurrentHashMap.newKeySet();

    GpuPromoter(String host, GpuTier gpu, PromotionPolicy policy, UseHistory history, TierMove moves,
                AgentMetrics metrics, HostStatistics statistics, ResidencyWorkers workers, ModelFiles files) {
        this.host = host;
        this.gpu = gpu;
        this.policy = policy;
        this.history = history;
        this.moves = moves;
        this.metrics = metrics;
        this.statistics = statistics;
        this.workers = workers;
        this.files = files;
    }

    /** Says once per model, when it is loaded into the CPU tier, why it will stay there. */
    void loadedOnCpu(ModelRecord record) {
        if (!record.gpuCapable() && toldCpuOnly.add(record.id())) {
            LOG.info("{} keeps {} in the cpu tier only: {}", host, record.id(), record.gpuUnsupportedReason());
        }
    }

    /** A request was served from the CPU tier: count the use and start a promotion if the policy says so. */
    void usedOnCpu(ModelRecord record) {
        ModelId id = record.id();
        if (!record.gpuCapable()) {
            return;
        }
        Candidate candidate = new Candidate(true, gpu.contains(id), promoting.contains(id), refused.containsKey(id),
                history.record(id));
        if (policy.decide(candidate, history.now()) != Decision.PROMOTE || !promoting.add(id)) {
            return;
        }
        workers.<Void>run(() -> {
            promote(record);
            return null;
        }).onComplete(done -> promoting.remove(id));
    }

    /** The registry deleted the model: forget its uses and any refusal. */
    void forget(ModelId id) {
        history.forget(id);
        refused.remove(id);
        toldCpuOnly.remove(id);
    }

    private void promote(ModelRecord record) {
        ModelId id = record.id();
        long start = System.nanoTime();
        try {
            // The move itself is logged with every tier change (TierLog).
            load(record);
            metrics.promotion("promoted", System.nanoTime() - start);
        } catch (TierException e) {
            switch (e.kind()) {
                case BUSY -> {
                    // Room is held by models in use, or another move is under way; a later use tries again.
                    metrics.promotion("busy", 0);
                    LOG.debug("{} cannot promote {} now: {}", host, id, e.getMessage());
                }
                case TOO_BIG, NOT_LOADABLE, CORRUPT_COPY, NOT_IN_STORE, NOT_REGISTERED -> {
                    refused.put(id, e.getMessage());
                    metrics.promotion("refused", 0);
                    LOG.warn("{} keeps {} in the cpu tier: {}", host, id, e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            metrics.promotion("failed", 0);
            LOG.warn("{} could not promote {} to the gpu tier", host, id, e);
        }
    }

    /** Moves the model's file onto the device as a GPU copy. */
    private void load(ModelRecord record) throws IOException {
        ModelId id = record.id();
        Path file = files.hold(record);
        try {
            long start = System.nanoTime();
            long bytes = moves.move(gpu, id, GpuTier.estimateOf(file), () -> gpu.load(id, file), b -> b).bytes();
            statistics.loadedToGpu(bytes, System.nanoTime() - start);
        } finally {
            files.release(id);
        }
    }
}
