package io.trims.agent.residency;

import io.trims.testmodels.OnnxModels;
import io.trims.agent.testing.TestCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.trims.agent.testing.TestCluster.await;

/**
 * What the residency tests share: one real cluster (Hazelcast member, S3Proxy object store) and Vert.x per class,
 * a fresh cache directory per test, and the size of their MatMul-Add test model.
 */
abstract class ResidencyFixture {

    static final int IN = 16;
    static final int OUT = 16;

    @TempDir
    static Path shared;

    static TestCluster cluster;
    static Vertx vertx;
    static long modelBytes;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(shared.resolve("s3"));
        vertx = Vertx.vertx();
        modelBytes = OnnxModels.matMulAdd(IN, OUT, 0).length;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        await(vertx.close());
        cluster.close();
    }
}
