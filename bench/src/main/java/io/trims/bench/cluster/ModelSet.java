package io.trims.bench.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The models of a run, in Zipf rank order (the first is the most requested): real pretrained models taken out of
 * the langchain4j jars on the class path, and generated MLPs written at run time into a temporary directory (never
 * kept: the largest is 2 GB).
 */
public final class ModelSet {

    /** A model to put in the run's directory: taken out of a jar or generated. */
    public interface Entry {
        BenchModel materialize(Path dir) throws IOException;
    }

    /** A real model: its name in the registry and the class-path resource holding its ONNX file. */
    public record Real(String name, String resource) implements Entry {
        @Override
        public BenchModel materialize(Path dir) throws IOException {
            return extract(this, dir);
        }
    }

    /** A generated MLP: its name and shape. */
    public record Generated(String name, MlpModel shape) implements Entry {
        @Override
        public BenchModel materialize(Path dir) throws IOException {
            return write(this, dir);
        }
    }

    public static final Real MINILM = new Real("all-minilm-l6-v2", "all-minilm-l6-v2.onnx");
    public static final Real BGE = new Real("bge-small-en-v15", "bge-small-en-v1.5.onnx");
    public static final Real E5 = new Real("e5-small-v2", "e5-small-v2.onnx");

    private static final int WIDE = 4096;

    private ModelSet() {
    }

    /**
     * The full run: the three real models (~90 to 130 MB) and MLPs of about 0.5, 1 and 2 GB (4096-wide, 8, 15 and
     * 30 layers), small ones more popular than large ones, as in a catalogue where most traffic goes to small models.
     */
    public static List<Entry> full() {
        return List.of(MINILM, BGE, generated("mlp-0.5g", WIDE, 8, 1), E5,
                generated("mlp-1g", WIDE, 15, 2), generated("mlp-2g", WIDE, 30, 3));
    }

    /** The smoke run: MLPs of a few MB, and all-MiniLM-L6-v2 too when {@code withReal}. */
    public static List<Entry> smoke(boolean withReal) {
        List<Entry> entries = new ArrayList<>();
        entries.add(generated("mlp-2m", 256, 8, 11));
        if (withReal) {
            entries.add(MINILM);
        }
        entries.add(generated("mlp-4m", 512, 4, 12));
        entries.add(generated("mlp-6m", 384, 10, 13));
        entries.add(generated("mlp-1m", 128, 16, 14));
        return entries;
    }

    /** Writes or extracts every model into {@code dir} as {@code <name>.onnx}; blocking (seconds per GB). */
    public static List<BenchModel> materialize(List<Entry> entries, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<BenchModel> models = new ArrayList<>();
        for (Entry entry : entries) {
            long started = System.nanoTime();
            BenchModel model = entry.materialize(dir);
            System.out.printf(Locale.ROOT, "model %s: %.1f MB (%s) ready in %.1f s%n", model.name(),
                    model.bytes() / 1e6, model.origin(), (System.nanoTime() - started) / 1e9);
            models.add(model);
        }
        return models;
    }

    private static BenchModel extract(Real real, Path dir) throws IOException {
        Path file = dir.resolve(real.name() + ".onnx");
        try (InputStream in = ModelSet.class.getClassLoader().getResourceAsStream(real.resource())) {
            if (in == null) {
                throw new IOException(real.resource() + " is not on the class path (its langchain4j embeddings jar)");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return new BenchModel(real.name(), file, Files.size(file), "pretrained, " + real.resource());
    }

    private static BenchModel write(Generated generated, Path dir) throws IOException {
        Path file = dir.resolve(generated.name() + ".onnx");
        MlpModel shape = generated.shape();
        long bytes = shape.write(file);
        return new BenchModel(generated.name(), file, bytes, String.format(Locale.ROOT,
                "generated MLP, %d x (MatMul %d x %d, Add, Relu) + head to %d, FP32", shape.layers(), shape.width(),
                shape.width(), shape.outputs()));
    }

    private static Entry generated(String name, int width, int layers, long seed) {
        return new Generated(name, new MlpModel(width, layers, 16, seed));
    }
}
