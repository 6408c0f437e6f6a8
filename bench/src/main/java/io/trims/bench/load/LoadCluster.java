package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;
import io.trims.bench.cluster.BenchSettings;
import io.trims.bench.cluster.Launch;
import io.trims.bench.cluster.MlpModel;
import io.trims.bench.cluster.Registration;
import io.trims.bench.cluster.SystemRun;
import io.trims.bench.cluster.TrimsCluster;
import io.trims.objectstore.embedded.EmbeddedS3Server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the load, soak and kill runs stand on: an S3 server in this process, a front door and agents each a process
 * of its own (a {@link TrimsCluster}), and small generated MLPs registered through the registry's HTTP API.
 */
public final class LoadCluster implements AutoCloseable {

    private static final String ACCESS_KEY = "trims";
    private static final String SECRET_KEY = "trims-secret";
    private static final String BUCKET = "trims-models";
    /** A member joins after 1 s instead of Hazelcast's 5; C1 and the serial collector start JVMs fastest on 2 cores. */
    private static final List<String> QUICK_JVM = List.of("-Dhazelcast.wait.seconds.before.join=1",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** How many agents, their tier budgets, and more environment for every process. */
    public record Shape(int agents, BenchSettings.Budgets budgets, Map<String, String> env) {}

    private final Path temp;
    private final EmbeddedS3Server s3;
    private final TrimsCluster cluster;
    private final Registration registration;

    private LoadCluster(Path temp, EmbeddedS3Server s3, TrimsCluster cluster) {
        this.temp = temp;
        this.s3 = s3;
        this.cluster = cluster;
        this.registration = new Registration(cluster.frontDoor(), cluster.adminKey());
    }

    public static LoadCluster start(String name, Shape shape) throws Exception {
        Path temp = Files.createTempDirectory("trims-" + name + "-");
        EmbeddedS3Server s3 = new EmbeddedS3Server(temp.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY).start();
        try {
            TrimsCluster.Store store = new TrimsCluster.Store(s3.endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET);
            TrimsCluster.Config config = new TrimsCluster.Config(name, null, null, shape.budgets(), shape.agents(),
                    new BenchSettings.Heaps("384m", "384m", "384m", "384m"), temp.resolve("work"), shape.env());
            return new LoadCluster(temp, s3, TrimsCluster.start(Launch.locate(QUICK_JVM), store, config));
        } catch (Exception | Error e) {
            s3.close();
            SystemRun.delete(temp);
            throw e;
        }
    }

    /** Writes an MLP of {@code width} x {@code width} x {@code layers} FP32 weights as {@code name}.onnx. */
    public BenchModel write(String name, int width, int layers, long seed) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("models"));
        Path file = dir.resolve(name + ".onnx");
        long bytes = new MlpModel(width, layers, 16, seed).write(file);
        return new BenchModel(name, file, bytes, "generated MLP, " + layers + " x " + width + " wide");
    }

    /** Registers {@code model} as version 1 and returns its infer body (batch 1, from the served metadata). */
    public byte[] register(BenchModel model) throws IOException, InterruptedException {
        registration.upload(List.of(model));
        return registration.bodies(List.of(model)).get(0);
    }

    /** An infer body for an MLP of {@code width}: {@code batch} rows of values drawn from {@code seed}. */
    public static byte[] mlpBody(int batch, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        JsonArray data = new JsonArray();
        for (int i = 0; i < batch * width; i++) {
            data.add((float) (2 * random.nextDouble() - 1));
        }
        JsonObject input = new JsonObject().put("name", MlpModel.INPUT).put("datatype", "FP32")
                .put("shape", new JsonArray().add(batch).add(width)).put("data", data);
        return new JsonObject().put("inputs", new JsonArray().add(input)).encode().getBytes(StandardCharsets.UTF_8);
    }

    public String frontDoor() {
        return cluster.frontDoor();
    }

    /** The front door's admin key: uploads and deletes need it. */
    public String adminKey() {
        return cluster.adminKey();
    }

    public TrimsCluster cluster() {
        return cluster;
    }

    @Override
    public void close() throws IOException {
        try {
            cluster.close();
        } finally {
            s3.close();
            SystemRun.delete(temp);
        }
    }
}
