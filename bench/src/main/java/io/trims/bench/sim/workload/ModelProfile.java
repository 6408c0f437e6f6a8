package io.trims.bench.sim.workload;

import io.trims.directory.ModelId;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How simulated models are drawn: sizes log-uniform between {@code minBytes} and {@code maxBytes} (many small
 * models, a few large ones), a CPU run time proportional to size times log-normal noise (larger models compute
 * more, but architectures differ), a GPU run {@code gpuSpeedup} times faster.
 *
 * @param cpuNanosPerByte run time per byte of model on one CPU worker, before noise
 * @param runNoiseSigma   standard deviation of the natural logarithm of the noise factor
 */
public record ModelProfile(long minBytes, long maxBytes, double cpuNanosPerByte, double runNoiseSigma,
                           double gpuSpeedup) {

    /** 50 MB to 2 GB; 0.4 ns per byte (all-MiniLM-L6-v2, 87 MB, runs in about 35 ms on one core). */
    public static final ModelProfile DEFAULT = new ModelProfile(50_000_000L, 2_000_000_000L, 0.4, 0.3, 8);

    public ModelProfile {
        if (minBytes < 1 || maxBytes < minBytes || cpuNanosPerByte <= 0 || runNoiseSigma < 0 || gpuSpeedup <= 0) {
            throw new IllegalArgumentException("not a model profile: " + minBytes + ".." + maxBytes + " bytes, "
                    + cpuNanosPerByte + " ns/byte, noise " + runNoiseSigma + ", GPU speed-up " + gpuSpeedup);
        }
    }

    public Catalogue draw(int count, long seed) {
        Random random = new Random(seed);
        double logMin = Math.log(minBytes);
        double logMax = Math.log(maxBytes);
        List<SimModel> models = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long bytes = Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
            long cpu = Math.max(1, Math.round(bytes * cpuNanosPerByte * Math.exp(runNoiseSigma * random.nextGaussian())));
            models.add(new SimModel(i, idOf(i), bytes, cpu, Math.max(1, Math.round(cpu / gpuSpeedup))));
        }
        return new Catalogue(models);
    }

    /** The simulated model at catalogue place {@code index}: {@code m0042:1}. */
    public static ModelId idOf(int index) {
        return new ModelId(String.format("m%04d", index), "1");
    }
}
