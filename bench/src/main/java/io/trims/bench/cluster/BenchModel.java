package io.trims.bench.cluster;

import java.nio.file.Path;

/**
 * One model of the benchmark: its name in the registry, its ONNX file, its size, and whether it counts as large
 * (the TrIMS paper reports its speedups for small and for large models apart).
 *
 * @param origin where it came from: the langchain4j jar it was taken out of, or the generator's shape
 */
public record BenchModel(String name, Path file, long bytes, String origin) {

    /** Models from this size up are "large": the generated MLPs of 0.5 to 2 GB, not the ~100 MB real ones. */
    public static final long LARGE_BYTES = 256L << 20;

    public boolean large() {
        return bytes >= LARGE_BYTES;
    }

    public String sizeClass() {
        return large() ? "large" : "small";
    }
}
