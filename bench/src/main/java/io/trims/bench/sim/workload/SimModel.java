package io.trims.bench.sim.workload;

import io.trims.directory.ModelId;

/**
 * One model of the simulated catalogue.
 *
 * @param index        its place in the catalogue, the key of every per-model array in the simulator
 * @param bytes        its file size: what it costs in every tier and what a fetch pulls from object storage
 * @param cpuRunNanos  one run on a CPU worker
 * @param gpuRunNanos  one run from the GPU tier
 */
public record SimModel(int index, ModelId id, long bytes, long cpuRunNanos, long gpuRunNanos) {
}
