package io.trims.agent.testing;

import io.trims.testmodels.OnnxModels;

import com.hazelcast.core.HazelcastInstance;
import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreConfig;
import io.trims.objectstore.embedded.ObjectStores;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.TierDirectory;
import io.trims.directory.LocalMembers;
import io.vertx.core.Future;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real parts a test of the agent needs: a Hazelcast member of a cluster of its own, the tier directory on it,
 * and an in-process S3 server spoken to through the MinIO client. Models are registered as the registry would:
 * object uploaded, record with digest and signature put in the catalogue.
 */
public final class TestCluster implements AutoCloseable {

    private final HazelcastInstance member;
    private final TierDirectory directory;
    private final MinioObjectStore store;

    public TestCluster(Path s3Dir) throws Exception {
        this.member = LocalMembers.startAlone("test-" + UUID.randomUUID());
        this.directory = new TierDirectory(member);
        this.store = ObjectStores.open(StoreConfig.embedded(s3Dir));
    }

    public TierDirectory directory() {
        return directory;
    }

    /** The member itself: a test that clears the directory's maps as an operator (or a fault) would. */
    public HazelcastInstance member() {
        return member;
    }

    public MinioObjectStore store() {
        return store;
    }

    /** Uploads a MatMul-Add model (FP32 X [-1, in] to Y [-1, out]) and registers it. */
    public ModelRecord registerMatMulAdd(String name, String version, int in, int out, long seed) throws Exception {
        return register(name, version, OnnxModels.matMulAdd(in, out, seed), sha256(OnnxModels.matMulAdd(in, out, seed)),
                List.of(new TensorSpec("X", "FP32", new long[]{-1, in})), List.of(new TensorSpec("Y", "FP32", new long[]{-1, out})));
    }

    /** Uploads {@code bytes} and registers them under {@code sha256} (which a test may get wrong on purpose). */
    public ModelRecord register(String name, String version, byte[] bytes, String sha256, List<TensorSpec> inputs,
                                List<TensorSpec> outputs) throws Exception {
        String key = "models/" + name + "/" + version + ".onnx";
        store.put(key, new ByteArrayInputStream(bytes), bytes.length);
        ModelRecord record = new ModelRecord(name, version, key, sha256, bytes.length, inputs, outputs,
                System.currentTimeMillis());
        directory.putModel(record);
        return record;
    }

    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Polls until the condition holds or fails after {@code millis}. */
    public static void eventually(long millis, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        store.close();
        directory.close();
        member.shutdown();
    }
}
