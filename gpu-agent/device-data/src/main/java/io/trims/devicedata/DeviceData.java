package io.trims.devicedata;

import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.protocol.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The test data the GPU machine gets. {@code prepare} (here): strips each real model to its graph, regrows its
 * weights from the seed, computes ONNX Runtime's outputs at every batch size on the regrown model, and writes the
 * skeletons, the reference outputs and the regrown models' SHA-256. {@code grow} (there): regrows the models from
 * the skeletons and checks they are byte for byte the ones the references were computed on.
 *
 * <p>Usage: {@code prepare <dataDir> <name>=<model.onnx or classpath:resource.onnx>...} and
 * {@code grow <dataDir> <modelsDir>}.
 */
public final class DeviceData {

    public static final long SEED = 1123;
    public static final int[] BATCHES = {1, 8, 32};
    /** Outputs up to batch 8 x seq 128 x hidden 384 are carried whole; larger ones as a sample. */
    static final int MAX_WHOLE = 8 * FixedInputs.SEQ * 384;
    /** Coprime with 128 and 384 (and 768), so the sample visits every row, position and column. */
    static final long SAMPLE_STRIDE = 13;
    private static final String MANIFEST = "models.properties";

    private DeviceData() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]), List.of(args).subList(2, args.length));
        } else if (args.length == 3 && args[0].equals("grow")) {
            List<String> grown = grow(Path.of(args[1]), Path.of(args[2]));
            System.out.println("regrew " + grown + " into " + args[2]);
        } else {
            System.err.println("usage: DeviceData prepare <dataDir> <name>=<model.onnx>... | grow <dataDir> <modelsDir>");
            System.exit(2);
        }
    }

    /** File name of a reference output. */
    public static String referenceName(String model, int batch, String output) {
        return model + "-b" + batch + "-" + output + ".ref";
    }

    /** The model names in a data directory. */
    public static List<String> models(Path dataDir) throws IOException {
        return List.of(manifest(dataDir).getProperty("models").split(","));
    }

    static void prepare(Path dataDir, List<String> models) throws Exception {
        Files.createDirectories(dataDir);
        Properties manifest = new Properties();
        List<String> names = new ArrayList<>();
        try (OnnxCpuRuntime ort = new OnnxCpuRuntime(Runtime.getRuntime().availableProcessors())) {
            for (String spec : models) {
                String name = spec.substring(0, spec.indexOf('='));
                byte[] skeleton = SeededWeights.strip(read(spec.substring(spec.indexOf('=') + 1)));
                Files.write(dataDir.resolve(name + ".skeleton.onnx"), skeleton);
                byte[] grown = SeededWeights.grow(skeleton, SEED);
                manifest.setProperty(name + ".sha256", sha256(grown));
                Path model = Files.createTempFile("trims-grown-", ".onnx");
                try {
                    Files.write(model, grown);
                    references(ort, model, name, dataDir);
                } finally {
                    Files.delete(model);
                }
                names.add(name);
                System.out.printf("%s: skeleton %d bytes, regrown model %d bytes%n", name, skeleton.length, grown.length);
            }
        }
        manifest.setProperty("models", String.join(",", names));
        manifest.setProperty("seed", Long.toString(SEED));
        try (OutputStream out = Files.newOutputStream(dataDir.resolve(MANIFEST))) {
            manifest.store(out, "trims device test data: skeleton models regrown from the seed, and their ORT outputs");
        }
    }

    private static byte[] read(String source) throws IOException {
        if (!source.startsWith("classpath:")) {
            return Files.readAllBytes(Path.of(source));
        }
        String resource = source.substring("classpath:".length());
        try (InputStream in = DeviceData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " on the class path");
            }
            return in.readAllBytes();
        }
    }

    private static void references(OnnxCpuRuntime ort, Path model, String name, Path dataDir) throws Exception {
        try (LoadedModel session = ort.load(model)) {
            for (int batch : BATCHES) {
                Map<String, Tensor> inputs = FixedInputs.bert(batch, FixedInputs.SEQ, session.inputNames());
                for (Tensor out : session.run(inputs, Set.of())) {
                    ReferenceOutput ref = ReferenceOutput.of(out.shape(), (float[]) out.data(), MAX_WHOLE, SAMPLE_STRIDE);
                    try (OutputStream file = Files.newOutputStream(dataDir.resolve(referenceName(name, batch, out.name())))) {
                        ref.write(file);
                    }
                }
            }
        }
    }

    /** Regrows every model of {@code dataDir} into {@code modelsDir} as {@code <name>.onnx}; checks each digest. */
    public static List<String> grow(Path dataDir, Path modelsDir) throws IOException {
        Properties manifest = manifest(dataDir);
        Files.createDirectories(modelsDir);
        List<String> names = models(dataDir);
        for (String name : names) {
            byte[] grown = SeededWeights.grow(Files.readAllBytes(dataDir.resolve(name + ".skeleton.onnx")),
                    Long.parseLong(manifest.getProperty("seed")));
            String digest = sha256(grown);
            if (!digest.equals(manifest.getProperty(name + ".sha256"))) {
                throw new IOException(name + " regrew to sha256 " + digest + ", the references were computed on "
                        + manifest.getProperty(name + ".sha256"));
            }
            Files.write(modelsDir.resolve(name + ".onnx"), grown);
        }
        return names;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties manifest(Path dataDir) throws IOException {
        Properties manifest = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve(MANIFEST))) {
            manifest.load(in);
        }
        return manifest;
    }
}
